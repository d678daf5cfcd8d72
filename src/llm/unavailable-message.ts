import type { ProviderError } from './provider-error.js';
import type { ChatProvider } from './types.js';

/** What each provider's messages tell the user to check, so a failure names the variables that fix it. */
interface ProviderHints {
  /** The settings to check when the server misbehaves. */
  fix: string;
  /** Nothing answers at all: the usual first run without a model, so every way to get one is named. */
  noModel: string;
  modelNotFound: (provider: Pick<ChatProvider, 'model'>, failure: ProviderError, where: string) => string;
  wrongServer: string;
  auth: (failure: ProviderError, where: string) => string;
}

const OTHER_WAYS =
  'or use another model server: set LLM_PROVIDER=openai and OPENAI_BASE_URL (vLLM, llama-server, LM Studio, OpenAI), or LLM_PROVIDER=huggingface and HF_TOKEN';

const HINTS: Record<ChatProvider['name'], ProviderHints> = {
  ollama: {
    fix: 'check OLLAMA_HOST and that Ollama is running',
    noModel: `start Ollama (\`ollama serve\`) or check OLLAMA_HOST; ${OTHER_WAYS}`,
    modelNotFound: (_provider, failure) => `The ${failure.message}, or set OLLAMA_MODEL to a model it has.`,
    wrongServer: 'point OLLAMA_HOST at Ollama, which listens on port 11434 by default',
    auth: (failure, where) => `${where} refused access (${failure.message}); check OLLAMA_HOST.`,
  },
  huggingface: {
    fix: 'check HF_ENDPOINT_URL, HF_TOKEN and the network',
    noModel: 'check HF_ENDPOINT_URL, HF_TOKEN and the network',
    modelNotFound: (_provider, failure, where) =>
      `${where} does not serve this model (${failure.message}); check HF_MODEL and HF_ENDPOINT_URL.`,
    wrongServer: 'check HF_ENDPOINT_URL',
    auth: (failure, where) =>
      `${where} rejected HF_TOKEN (${failure.message}); create a token allowed to call Inference Providers at https://huggingface.co/settings/tokens.`,
  },
  openai: {
    fix: 'check OPENAI_BASE_URL and that the server is running',
    noModel: 'start the model server (vLLM, llama-server, LM Studio…) or check OPENAI_BASE_URL',
    modelNotFound: (_provider, failure, where) =>
      `${where} is not available: ${failure.message}; set OPENAI_MODEL to a model the server offers.`,
    wrongServer: "point OPENAI_BASE_URL at the API's base, which usually ends in /v1 (e.g. http://127.0.0.1:8000/v1)",
    auth: (failure, where) =>
      `${where} rejected OPENAI_API_KEY (${failure.message}); set OPENAI_API_KEY to a key that server accepts.`,
  },
};

/** Plain words for a provider failure, naming the host, the model and the setting to check. */
export function unavailableMessage(
  provider: Pick<ChatProvider, 'name' | 'host' | 'model'>,
  failure: ProviderError,
  details: { timeoutMs: number; attempts: number },
): string {
  const where = `The language model at ${provider.host} (${provider.model})`;
  const hints = HINTS[provider.name];
  const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : '';
  switch (failure.kind) {
    case 'timeout':
      return `${where} did not answer in ${formatSeconds(details.timeoutMs)} s; ${hints.fix}.`;
    case 'refused':
      return `${where} refused the connection${tries}; ${hints.noModel}.`;
    case 'dns':
      return `${where} could not be found (DNS lookup failed); ${hints.noModel}.`;
    case 'network':
      return `${where} dropped the connection${tries} (${failure.message}); ${hints.fix}.`;
    case 'server':
      return `${where} failed with ${failure.message}${tries}; ${hints.fix}.`;
    case 'rate_limited': {
      const wait =
        failure.retryAfterMs !== undefined ? `${Math.max(1, Math.ceil(failure.retryAfterMs / 1000))} s` : 'a minute';
      return `${where} is rate limiting requests (HTTP 429)${tries}; try again in ${wait}.`;
    }
    case 'model_not_found':
      return hints.modelNotFound(provider, failure, where);
    case 'wrong_server':
      return provider.name === 'ollama'
        ? `${where} is not an Ollama server (${failure.message}); ${hints.wrongServer}.`
        : `${where} does not answer like a chat-completions endpoint (${failure.message}); ${hints.wrongServer}.`;
    case 'auth':
      return hints.auth(failure, where);
    case 'aborted':
      return `${where} call was cancelled.`;
    case 'bad_request':
      return `${where} rejected the request: ${failure.message}.`;
  }
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Number((ms / 1000).toFixed(1)));
}
