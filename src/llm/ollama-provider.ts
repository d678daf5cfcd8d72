import { Ollama } from 'ollama';
import { oneLine } from '../domain/text.js';
import { classifyFetchError, kindForStatus, ProviderError } from './provider-error.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './types.js';

export interface OllamaProviderOptions {
  host: string;
  model: string;
  /** Authorization header for a server behind a proxy (Basic from OLLAMA_HOST's user:password, or OLLAMA_BEARER_TOKEN). */
  authorization?: string;
  /** Replaced in tests or behind a proxy; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The local-first provider: talks to an Ollama server with the official `ollama` client. */
export function createOllamaProvider(options: OllamaProviderOptions): ChatProvider {
  const host = options.host.replace(/\/+$/, '');
  const { model } = options;
  const baseFetch = options.fetch ?? globalThis.fetch;
  // The client's non-streaming calls take no signal, so each call gets a client whose fetch carries one.
  const clientFor = (signal: AbortSignal) =>
    new Ollama({
      host,
      ...(options.authorization ? { headers: { Authorization: options.authorization } } : {}),
      fetch: (input, init) => baseFetch(input, { ...init, signal }),
    });

  return {
    name: 'ollama',
    model,
    host,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      try {
        const response = await clientFor(request.signal).chat({
          model,
          messages: request.messages,
          ...(request.jsonSchema ? { format: request.jsonSchema } : {}),
          stream: false,
          options: {
            temperature: request.temperature,
            num_ctx: request.contextTokens,
            num_predict: request.maxOutputTokens,
          },
        });
        return {
          content: response.message?.content ?? '',
          promptTokens: response.prompt_eval_count ?? 0,
          outputTokens: response.eval_count ?? 0,
          truncated: response.done_reason === 'length',
        };
      } catch (error) {
        throw toProviderError(error, host, model);
      }
    },
    async ping(signal: AbortSignal): Promise<void> {
      let names: string[];
      try {
        const list = await clientFor(signal).list();
        names = list.models.flatMap((entry) => [entry.name, entry.model]);
      } catch (error) {
        throw toProviderError(error, host, model);
      }
      const wanted = model.includes(':') ? [model] : [model, `${model}:latest`];
      if (!names.some((name) => wanted.includes(name))) {
        throw new ProviderError('model_not_found', notPulledMessage(host, model), 404);
      }
    },
  };
}

// Ollama's own answer for a model it does not have; any other 404 comes from something that is not Ollama.
const MODEL_MISSING = /model ['"]?.*['"]? not found|try pulling/i;

function toProviderError(error: unknown, host: string, model: string): ProviderError {
  if (error instanceof Error && error.name === 'ResponseError') {
    const status = (error as Error & { status_code?: number }).status_code ?? 500;
    // The client puts a non-JSON error body (a whole HTML page) in the message: users see one short line of it.
    const said = oneLine(error.message, 120);
    if (status === 404) {
      return MODEL_MISSING.test(error.message)
        ? new ProviderError('model_not_found', notPulledMessage(host, model), status, { cause: error })
        : new ProviderError('wrong_server', `HTTP 404 for the Ollama API${said ? `: ${said}` : ''}`, status, {
            cause: error,
          });
    }
    if (status === 405 || status === 501)
      return new ProviderError('wrong_server', `HTTP ${status}${said ? `: ${said}` : ''}`, status, { cause: error });
    return new ProviderError(kindForStatus(status), `HTTP ${status}${said ? `: ${said}` : ''}`, status, {
      cause: error,
    });
  }
  // A 200 that is not Ollama's JSON (a web page, another API) fails while the client reads it.
  if (error instanceof SyntaxError || (error instanceof TypeError && !/fetch failed/i.test(error.message))) {
    return new ProviderError(
      'wrong_server',
      `the answer is not Ollama's JSON (${oneLine(error.message, 80)})`,
      undefined,
      { cause: error },
    );
  }
  return classifyFetchError(error);
}

function notPulledMessage(host: string, model: string): string {
  return `model ${model} is not pulled on ${host}; run \`ollama pull ${model}\``;
}
