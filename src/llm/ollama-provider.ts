import { Ollama } from 'ollama';
import { classifyFetchError, kindForStatus, ProviderError } from './provider-error.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './types.js';

export interface OllamaProviderOptions {
  host: string;
  model: string;
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
    new Ollama({ host, fetch: (input, init) => baseFetch(input, { ...init, signal }) });

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

function toProviderError(error: unknown, host: string, model: string): ProviderError {
  if (error instanceof Error && error.name === 'ResponseError') {
    const status = (error as Error & { status_code?: number }).status_code ?? 500;
    const kind = kindForStatus(status);
    // /api/chat answers 404 only for a model it does not have.
    if (kind === 'model_not_found') {
      return new ProviderError(kind, notPulledMessage(host, model), status, { cause: error });
    }
    return new ProviderError(kind, `HTTP ${status}: ${error.message}`, status, { cause: error });
  }
  return classifyFetchError(error);
}

function notPulledMessage(host: string, model: string): string {
  return `model ${model} is not pulled on ${host}; run \`ollama pull ${model}\``;
}
