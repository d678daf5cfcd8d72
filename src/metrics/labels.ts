// Every label value a metric may carry comes from one of these fixed sets, or passes a shape check that maps
// anything else to "other": never a company name, request text, user or team id (each would be a new series).

export const RUN_OUTCOMES = ['succeeded', 'failed', 'interrupted', 'empty'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The request's intent, or "unknown" for a run that failed before it was read. */
export const RUN_INTENTS = ['customer', 'partner', 'both', 'unknown'] as const;
export type RunIntent = (typeof RUN_INTENTS)[number];

export const STAGES = ['intent', 'research', 'enrichment', 'scoring'] as const;
export type StageLabel = (typeof STAGES)[number];

/** ok: the model answered; retry: the attempt failed and is tried again; error: the attempt failed and the call gave up. */
export const LLM_OUTCOMES = ['ok', 'retry', 'error'] as const;
export type LlmOutcome = (typeof LLM_OUTCOMES)[number];

export const SEARCH_PROVIDERS = ['duckduckgo', 'tavily', 'serper', 'google', 'searxng'] as const;
export type SearchProviderLabel = (typeof SEARCH_PROVIDERS)[number];

export const SEARCH_OUTCOMES = ['ok', 'empty', 'blocked', 'rate_limited', 'timeout', 'error'] as const;
export type SearchOutcomeLabel = (typeof SEARCH_OUTCOMES)[number];

export const CACHE_KINDS = ['search', 'page', 'enrichment', 'llm', 'run', 'crm'] as const;
export type CacheKindLabel = (typeof CACHE_KINDS)[number];

export const SLACK_SURFACES = ['command', 'mention', 'action', 'view', 'home'] as const;
export type SlackSurface = (typeof SLACK_SURFACES)[number];

/** accepted: work started (or queued); help: the usage answer; invalid: input that could not be used;
 * busy: the person already has a run going; duplicate: Slack's retry of a delivery already handled;
 * refused: from another workspace, or a bot's mention that is not allowed; error: the handler failed. */
export const SLACK_OUTCOMES = ['accepted', 'help', 'invalid', 'busy', 'duplicate', 'refused', 'error'] as const;
export type SlackOutcome = (typeof SLACK_OUTCOMES)[number];

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

const AGENT = /^[a-z][a-z0-9_.-]{0,39}$/;
const MODEL = /^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,99}$/;
const SLACK_METHOD = /^[a-z][a-zA-Z]*(\.[a-zA-Z0-9]+){1,3}$/;
const SLACK_ERROR = /^[a-z][a-z0-9_]{1,59}$/;

/** An agent name from the code ("scoring.screen"), else "other". */
export const agentLabel = (agent: string): string => (AGENT.test(agent) ? agent : 'other');
/** The configured model's name ("llama3.1:8b"), else "other". */
export const modelLabel = (model: string): string => (MODEL.test(model) ? model : 'other');
/** A Web API method ("chat.postMessage"), else "other". */
export const slackMethodLabel = (method: string): string => (SLACK_METHOD.test(method) ? method : 'other');
/** A Slack error code ("ratelimited", "not_in_channel", "http_503"), else "other". */
export const slackErrorLabel = (error: string): string => (SLACK_ERROR.test(error) ? error : 'other');
