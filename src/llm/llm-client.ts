import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { cancelledByAnother, LlmUnavailableError, RunAbortedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { disabledMetrics, type Metrics } from '../metrics/metrics.js';
import type { WorkCache } from '../store/cache.js';
import type { FairLimiter } from './fair-limiter.js';
import { toProviderJsonSchema, type JsonSchema } from './json-schema.js';
import type { PromptLog } from './prompt-log.js';
import { classifyFetchError, ProviderError } from './provider-error.js';
import { generateStructured, type StructuredResult } from './structured-output.js';
import type {
  ChatMessage,
  ChatProvider,
  ChatResponse,
  GenerateObjectRequest,
  GenerateObjectResult,
  LlmClient,
} from './types.js';
import { unavailableMessage } from './unavailable-message.js';

export interface LlmClientOptions {
  provider: ChatProvider;
  limiter: FairLimiter;
  cache?: WorkCache;
  promptLog: PromptLog;
  logger: Pick<Logger, 'warn' | 'debug'>;
  /** Budget for one provider call including its transport retries (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Extra attempts after a transport failure (refused, dropped, 5xx, 429); default 2. */
  maxRetries?: number;
  /** First backoff delay, doubled per retry; default 250 ms. */
  retryDelayMs?: number;
  /** Extra attempts after an answer that does not fit the schema; default 2. */
  maxStructuredRetries?: number;
  defaultMaxOutputTokens?: number;
  /** Counts every attempt (ok, retry, error), its tokens and time, and the calls in flight. */
  metrics?: Pick<Metrics, 'llmAttempt' | 'llmStarted'>;
  /** Removes the app's own secrets from every prompt before any model, cache or log sees it. */
  scrub?: (text: string) => string;
}

interface CallContext<T> {
  request: GenerateObjectRequest<T>;
  jsonSchema: JsonSchema;
  temperature: number;
  maxOutputTokens: number;
  callCount: number;
  lastLatencyMs: number;
  lastMessages: ChatMessage[];
}

/** The one LLM entry point agents use: structured output, fairness, caching, retries, usage and the prompt log. */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  const { provider, limiter, cache, promptLog, logger, timeoutMs } = options;
  const maxAttempts = 1 + (options.maxRetries ?? 2);
  const retryDelayMs = options.retryDelayMs ?? 250;
  const metrics = options.metrics ?? disabledMetrics();
  const scrub = options.scrub ?? ((text: string) => text);
  let inFlight = 0;

  const fail = (failure: ProviderError, attempts: number) =>
    new LlmUnavailableError(
      unavailableMessage(provider, failure, { timeoutMs, attempts }),
      provider.host,
      provider.model,
      { cause: failure },
    );

  function log<T>(
    ctx: CallContext<T>,
    messages: ChatMessage[],
    response: ChatResponse | null,
    error: string | null,
  ): void {
    promptLog.write({
      time: new Date().toISOString(),
      runId: ctx.request.runId,
      agent: ctx.request.agent,
      provider: provider.name,
      model: provider.model,
      messages,
      response: response?.content ?? null,
      promptTokens: response?.promptTokens ?? 0,
      outputTokens: response?.outputTokens ?? 0,
      latencyMs: ctx.lastLatencyMs,
      attempt: ctx.callCount,
      error,
    });
  }

  // One answer from the provider: transport failures are retried with backoff inside one timeoutMs budget.
  async function callProvider<T>(ctx: CallContext<T>, messages: ChatMessage[]): Promise<ChatResponse> {
    const callerSignal = ctx.request.signal;
    const budget = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, budget]) : budget;
    const deadline = Date.now() + timeoutMs;
    const whyStopped = () =>
      callerSignal?.aborted ? cancelled(callerSignal.reason) : fail(new ProviderError('timeout', 'timed out'), 1);
    // The run's own logger when it gave one, so these lines carry its run id and stage.
    const lines = ctx.request.logger ?? logger;
    const { agent } = ctx.request;
    for (let attempt = 1; ; attempt += 1) {
      ctx.callCount += 1;
      const started = Date.now();
      inFlight += 1;
      const settled = metrics.llmStarted();
      let failure: ProviderError;
      try {
        const response = await provider.chat({
          messages,
          jsonSchema: ctx.jsonSchema,
          schemaName: ctx.request.schemaName,
          temperature: ctx.temperature,
          maxOutputTokens: ctx.maxOutputTokens,
          contextTokens: contextTokensFor(messages, ctx.maxOutputTokens),
          signal,
        });
        ctx.lastLatencyMs = Date.now() - started;
        ctx.request.meter?.llmCall({ ...usageOf(response), latencyMs: ctx.lastLatencyMs, agent });
        metrics.llmAttempt({
          agent,
          model: provider.model,
          outcome: 'ok',
          latencyMs: ctx.lastLatencyMs,
          ...usageOf(response),
        });
        lines.debug({ agent, attempt, ...usageOf(response), latencyMs: ctx.lastLatencyMs }, 'LLM call answered');
        return response;
      } catch (error) {
        ctx.lastLatencyMs = Date.now() - started;
        failure = !signal.aborted
          ? classifyFetchError(error)
          : callerSignal?.aborted
            ? new ProviderError('aborted', 'cancelled by the caller', undefined, { cause: error })
            : new ProviderError('timeout', `no answer within ${timeoutMs} ms`, undefined, { cause: error });
      } finally {
        inFlight -= 1;
        settled();
      }
      log(ctx, messages, null, failure.message);
      // A server that says how long to wait (a 429's Retry-After) is waited out, within the same budget.
      const delay = Math.max(retryDelayMs * 2 ** (attempt - 1), failure.retryAfterMs ?? 0);
      const givesUp = !failure.retryable || attempt >= maxAttempts || Date.now() + delay >= deadline;
      // An attempt the run itself cancelled says nothing about the model host, so it is not counted.
      if (!callerSignal?.aborted)
        metrics.llmAttempt({
          agent,
          model: provider.model,
          outcome: givesUp || signal.aborted ? 'error' : 'retry',
          latencyMs: ctx.lastLatencyMs,
        });
      if (signal.aborted) throw whyStopped();
      if (givesUp) throw fail(failure, attempt);
      lines.warn({ agent, attempt, error: failure.message }, 'LLM call failed; retrying');
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        throw whyStopped();
      }
    }
  }

  async function compute<T>(ctx: CallContext<T>): Promise<StructuredResult<T>> {
    const { request } = ctx;
    return generateStructured({
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.prompt },
      ],
      schema: request.schema,
      schemaName: request.schemaName,
      maxRetries: options.maxStructuredRetries,
      call: async (messages) => {
        ctx.lastMessages = messages;
        try {
          // Fair per run: each user's run gets its turn, whatever its workspace or its size.
          return await limiter.run(
            `${request.scope}/${request.runId}`,
            () => callProvider(ctx, messages),
            request.signal,
          );
        } catch (error) {
          if (request.signal?.aborted && !(error instanceof LlmUnavailableError))
            throw cancelled(request.signal.reason);
          throw error;
        }
      },
      onAnswer: (response, _attempt, error) => log(ctx, ctx.lastMessages, response, error),
    });
  }

  return {
    provider: provider.name,
    model: provider.model,
    host: provider.host,
    inFlight: () => inFlight,
    flush: () => promptLog.flush(),
    async generateObject<T>(asked: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      const started = Date.now();
      // Every prompt of every agent passes here: no model, local or cloud, sees a secret of the app, whatever a page,
      // a request or a note carried (the cache key and the prompt log are built from the scrubbed text too).
      const request = { ...asked, system: scrub(asked.system), prompt: scrub(asked.prompt) };
      const ctx: CallContext<T> = {
        request,
        jsonSchema: toProviderJsonSchema(request.schema),
        temperature: request.temperature ?? 0,
        maxOutputTokens: request.maxOutputTokens ?? options.defaultMaxOutputTokens ?? 2048,
        callCount: 0,
        lastLatencyMs: 0,
        lastMessages: [],
      };
      if (request.signal?.aborted) throw cancelled(request.signal.reason);
      if (!cache) {
        const result = await compute(ctx);
        return { ...result, cached: false, latencyMs: Date.now() - started };
      }
      const key = cache.key(
        request.scope,
        'llm',
        provider.name,
        provider.model,
        request.schemaName,
        ctx.temperature,
        ctx.maxOutputTokens,
        request.system,
        request.prompt,
        ctx.jsonSchema,
      );
      let cached = false;
      const onHit = () => {
        cached = true;
        request.meter?.cacheHit('llm');
      };
      // A cached answer is checked against the request's own schema, like a fresh one.
      const schema = z.object({
        data: request.schema,
        usage: tokenUsageSchema,
        attempts: z.number().int(),
      }) as z.ZodType<StructuredResult<T>>;
      const shared = () => cache.getOrCompute(key, 'llm', { schema, fresh: request.fresh, onHit }, () => compute(ctx));
      // Identical calls share one answer; if the caller that started it is cancelled, this one asks again itself.
      const result = await shared().catch((error: unknown) => {
        if (!cancelledByAnother(error, request.signal)) throw error;
        cached = false;
        return shared();
      });
      // A cached answer cost nothing this time; the tokens were counted when it was made.
      const usage = cached ? { promptTokens: 0, outputTokens: 0 } : result.usage;
      return {
        data: result.data,
        usage,
        attempts: cached ? 0 : result.attempts,
        cached,
        latencyMs: Date.now() - started,
      };
    },
    async ping(signal?: AbortSignal): Promise<void> {
      const budget = AbortSignal.timeout(Math.min(timeoutMs, 10_000));
      const both = signal ? AbortSignal.any([signal, budget]) : budget;
      // Retried like a call (a proxy's one 503, a model server restarting), within the same small budget.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await provider.ping(both);
          return;
        } catch (error) {
          if (signal?.aborted) throw cancelled(signal.reason);
          const failure = budget.aborted ? new ProviderError('timeout', 'timed out') : classifyFetchError(error);
          if (budget.aborted || !failure.retryable || attempt >= maxAttempts) throw fail(failure, attempt);
          try {
            await sleep(retryDelayMs * 2 ** (attempt - 1), undefined, { signal: both });
          } catch {
            if (signal?.aborted) throw cancelled(signal.reason);
            throw fail(new ProviderError('timeout', 'timed out'), attempt);
          }
        }
      }
    },
  };
}

const tokenUsageSchema = z.object({ promptTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) });

/** Context window to ask for: prompt (≈ chars/4) + answer + margin, rounded up to a power of two so Ollama rarely reloads the model. */
export function contextTokensFor(messages: readonly ChatMessage[], maxOutputTokens: number): number {
  const chars = messages.reduce((sum, message) => sum + message.content.length, 0);
  const promptTokens = Math.ceil(chars / 4) + 8 * messages.length;
  const needed = Math.ceil(promptTokens * 1.1) + maxOutputTokens + 256;
  let size = 4096;
  while (size < needed) size *= 2;
  return size;
}

function usageOf(response: ChatResponse) {
  return { promptTokens: response.promptTokens, outputTokens: response.outputTokens };
}

function cancelled(reason: unknown): RunAbortedError {
  return reason instanceof RunAbortedError
    ? reason
    : new RunAbortedError('The run was cancelled before the language model answered.', { cause: reason });
}
