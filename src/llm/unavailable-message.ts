import type { ProviderError } from './provider-error.js';
import type { ChatProvider } from './types.js';

/** Plain words for a provider failure, naming the host, the model and the setting to check. */
export function unavailableMessage(
  provider: Pick<ChatProvider, 'name' | 'host' | 'model'>,
  failure: ProviderError,
  details: { timeoutMs: number; attempts: number },
): string {
  const where = `The language model at ${provider.host} (${provider.model})`;
  const isOllama = provider.name === 'ollama';
  const fix = isOllama
    ? 'check OLLAMA_HOST and that Ollama is running'
    : 'check HF_ENDPOINT_URL, HF_TOKEN and the network';
  // Nothing answering at all is the usual first run without a model: name both ways to get one.
  const noModel = isOllama
    ? 'start Ollama (`ollama serve`) or check OLLAMA_HOST; or use a hosted model instead: set LLM_PROVIDER=huggingface and HF_TOKEN'
    : fix;
  const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : '';
  switch (failure.kind) {
    case 'timeout':
      return `${where} did not answer in ${formatSeconds(details.timeoutMs)} s; ${fix}.`;
    case 'refused':
      return `${where} refused the connection${tries}; ${noModel}.`;
    case 'dns':
      return `${where} could not be found (DNS lookup failed); ${noModel}.`;
    case 'network':
      return `${where} dropped the connection${tries} (${failure.message}); ${fix}.`;
    case 'server':
      return `${where} failed with ${failure.message}${tries}; ${fix}.`;
    case 'rate_limited':
      return `${where} is rate limiting requests (HTTP 429)${tries}; try again in a minute.`;
    case 'model_not_found':
      return isOllama
        ? `The ${failure.message}, or set OLLAMA_MODEL to a model it has.`
        : `${where} does not serve this model (${failure.message}); check HF_MODEL and HF_ENDPOINT_URL.`;
    case 'wrong_server':
      return isOllama
        ? `${where} is not an Ollama server (${failure.message}); point OLLAMA_HOST at Ollama, which listens on port 11434 by default.`
        : `${where} does not answer like a chat-completions endpoint (${failure.message}); check HF_ENDPOINT_URL.`;
    case 'auth':
      return isOllama
        ? `${where} refused access (${failure.message}); check OLLAMA_HOST.`
        : `${where} rejected HF_TOKEN (${failure.message}); create a token allowed to call Inference Providers at https://huggingface.co/settings/tokens.`;
    case 'aborted':
      return `${where} call was cancelled.`;
    case 'bad_request':
      return `${where} rejected the request: ${failure.message}.`;
  }
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Number((ms / 1000).toFixed(1)));
}
