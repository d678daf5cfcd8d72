import type { z } from 'zod';
import type { TeamContext } from '../domain/feedback.js';
import type { Logger } from '../logger.js';
import type { GenerateObjectRequest, LlmClient, UsageMeter } from '../llm/types.js';
import type { CompanyProfile } from '../domain/company-profile.js';
import type { PageReader } from '../search/page-types.js';
import type { SearchClient } from '../search/types.js';
import type { WorkCache } from '../store/cache.js';

/** What every agent gets from the orchestrator for one run: clients, the profile and the run's identity. */
export interface AgentContext {
  runId: string;
  scope: string;
  fresh: boolean;
  meter: UsageMeter;
  signal?: AbortSignal;
  llm: LlmClient;
  search: SearchClient;
  /** Reads pages in full (PAGE_READER) and keeps their text by URL: `pages.readText(url, scope)`. */
  pages: PageReader;
  cache: WorkCache;
  profile: CompanyProfile;
  /** The run's logger for the current stage: every line carries the run id and stage (and team, in Slack). */
  logger: Logger;
  /** The workspace's feedback for this run (scoring reads its preferences); absent for the CLI. */
  team?: TeamContext;
}

/** The part of a model request an agent decides; the run's identity, cache policy, meter and signal come from the context. */
export interface AgentQuestion<T> {
  agent: string;
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  /** Names the schema for providers that want one; defaults to the agent. */
  schemaName?: string;
  maxOutputTokens: number;
}

/** Asks the model one structured question on behalf of the run, so no agent wires the run's fields by hand. */
export async function askModel<T>(ctx: AgentContext, question: AgentQuestion<T>): Promise<T> {
  const request: GenerateObjectRequest<T> = {
    ...question,
    schemaName: question.schemaName ?? question.agent,
    runId: ctx.runId,
    scope: ctx.scope,
    fresh: ctx.fresh,
    meter: ctx.meter,
    signal: ctx.signal,
    logger: ctx.logger,
  };
  return (await ctx.llm.generateObject(request)).data;
}
