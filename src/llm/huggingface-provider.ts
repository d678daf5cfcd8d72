import { InferenceClient } from '@huggingface/inference';
import { oneLine } from '../domain/text.js';
import { classifyFetchError, kindForStatus, ProviderError } from './provider-error.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './types.js';

/** Hugging Face's OpenAI-compatible router; used when HF_ENDPOINT_URL is unset. */
export const HF_ROUTER_V1_URL = 'https://router.huggingface.co/v1';

export interface HuggingFaceProviderOptions {
  token: string;
  model: string;
  /** A dedicated Inference Endpoint or TGI/vLLM server; the router when unset. */
  endpointUrl?: string;
  fetch?: typeof fetch;
}

/** The hosted provider: chat completions through `@huggingface/inference`, always against an explicit endpoint. */
export function createHuggingFaceProvider(options: HuggingFaceProviderOptions): ChatProvider {
  const { token, model } = options;
  // An explicit endpoint (even the router's) keeps the library from looking up provider mappings on the Hub.
  const endpointUrl = (options.endpointUrl ?? HF_ROUTER_V1_URL).replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = new InferenceClient(token);

  return {
    name: 'huggingface',
    model,
    host: endpointUrl,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      try {
        const response = await client.chatCompletion(
          {
            endpointUrl,
            model,
            messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
            temperature: request.temperature,
            max_tokens: request.maxOutputTokens,
            ...(request.jsonSchema
              ? {
                  response_format: {
                    type: 'json_schema' as const,
                    json_schema: { name: schemaName(request.schemaName), schema: request.jsonSchema, strict: true },
                  },
                }
              : {}),
          },
          // The client's own 503 retry loops without a limit; our client retries within a time budget instead.
          { signal: request.signal, fetch: fetchImpl, retry_on_error: false },
        );
        const choice = response.choices?.[0];
        return {
          content: typeof choice?.message?.content === 'string' ? choice.message.content : '',
          promptTokens: response.usage?.prompt_tokens ?? 0,
          outputTokens: response.usage?.completion_tokens ?? 0,
          truncated: choice?.finish_reason === 'length',
        };
      } catch (error) {
        throw toProviderError(error);
      }
    },
    async ping(signal: AbortSignal): Promise<void> {
      let response: Response;
      try {
        response = await fetchImpl(`${v1Base(endpointUrl)}/models`, {
          headers: { Authorization: `Bearer ${token}` },
          signal,
        });
      } catch (error) {
        throw classifyFetchError(error);
      }
      if (!response.ok) {
        throw new ProviderError(
          kindForStatus(response.status),
          `HTTP ${response.status} from ${v1Base(endpointUrl)}/models`,
          response.status,
        );
      }
    },
  };
}

/** The OpenAI-style base the library posts to: it appends /chat/completions to a …/v1 URL, /v1/chat/completions otherwise. */
export function v1Base(endpointUrl: string): string {
  const trimmed = endpointUrl.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

function schemaName(name: string | undefined): string {
  return (name ?? 'answer').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer';
}

function toProviderError(error: unknown): ProviderError {
  const status = (error as { httpResponse?: { status?: unknown } } | undefined)?.httpResponse?.status;
  if (typeof status === 'number') {
    const message = oneLine(
      error instanceof Error ? error.message.replace(/^Failed to perform inference: /, '') : String(error),
      160,
    );
    return new ProviderError(kindForStatus(status), `HTTP ${status}: ${message}`, status, { cause: error });
  }
  return classifyFetchError(error);
}
