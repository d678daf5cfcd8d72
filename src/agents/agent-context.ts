import type { Logger } from '../logger.js';
import type { LlmClient, UsageMeter } from '../llm/types.js';
import type { CompanyProfile } from '../profile/company-profile.js';
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
  cache: WorkCache;
  profile: CompanyProfile;
  logger: Logger;
}
