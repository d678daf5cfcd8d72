import type { z } from 'zod';
import type { TokenUsage, UsageMeter } from '../domain/usage.js';
import type { Logger } from '../logger.js';

export type { TokenUsage, UsageMeter };

// The one LLM interface every agent uses (v1). Providers sit behind `ChatProvider`; the structured-output
// layer, limiter, cache and prompt log wrap them into an `LlmClient`.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** JSON schema the answer must follow (already stripped of keywords the provider rejects). */
  jsonSchema?: Record<string, unknown>;
  schemaName?: string;
  temperature: number;
  /** Upper bound for the answer's length in tokens. */
  maxOutputTokens: number;
  /** Context window to request: prompt + answer, so nothing is silently truncated. */
  contextTokens: number;
  signal: AbortSignal;
}

export interface ChatResponse {
  content: string;
  promptTokens: number;
  outputTokens: number;
  /** The answer hit maxOutputTokens and was cut off (its JSON will not parse). */
  truncated?: boolean;
}

/** A raw chat-completion backend (Ollama, Hugging Face, any OpenAI-compatible server). */
export interface ChatProvider {
  readonly name: 'ollama' | 'huggingface' | 'openai';
  readonly model: string;
  /** Where it lives, for error messages ("the model at http://… did not answer"). */
  readonly host: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** Cheap reachability check for /healthz and start-up. */
  ping(signal: AbortSignal): Promise<void>;
}

export interface GenerateObjectRequest<T> {
  /** Which agent asks; goes to the prompt log. */
  agent: string;
  runId: string;
  /** Fairness and cache key space: a Slack team id or "cli". */
  scope: string;
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  schemaName: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** Skip reading the response cache (the answer is still stored). */
  fresh?: boolean;
  meter?: UsageMeter;
  signal?: AbortSignal;
  /** The run's logger (its id and stage bound), for the lines this call writes. */
  logger?: Pick<Logger, 'warn' | 'debug'>;
}

export interface GenerateObjectResult<T> {
  data: T;
  usage: TokenUsage;
  cached: boolean;
  attempts: number;
  latencyMs: number;
}

export interface LlmClient {
  readonly provider: string;
  readonly model: string;
  readonly host: string;
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>;
  ping(signal?: AbortSignal): Promise<void>;
  /** LLM calls currently being served (for the benchmark's in-flight ceiling and /healthz). */
  inFlight(): number;
  /** Resolves once every queued prompt-log line is written, so a shutdown loses none and leaves no late writes. */
  flush?(): Promise<void>;
}
