import { z } from 'zod';
import { crmHiddenSchema, crmMarkSchema, type CrmHidden } from './crm-holdings.js';
import { hiddenCompanySchema, teamContextSchema, type HiddenCompany, type TeamContext } from './feedback.js';

// The pipeline's public types: the CLI, the Slack app, the benchmark and the tests all speak these.

export const intentKinds = ['customer', 'partner', 'both'] as const;
export type IntentKind = (typeof intentKinds)[number];

/** The constraints a request can state, defined once: stored optional, asked of the model as nullable. */
export const constraintFields = {
  region: z.string().describe('Geography asked for, e.g. "Texas" or "Canada"'),
  segment: z.string().describe('Kind of company asked for, e.g. "RV dealers" or "auto lenders"'),
  size: z.string().describe('Size asked for, e.g. "10+ rooftops"'),
  count: z.number().int().min(1).max(50).describe('How many leads were asked for'),
  notes: z.string().describe('Anything else the user asked for'),
};

export const constraintsSchema = z
  .object({
    region: constraintFields.region.optional(),
    segment: constraintFields.segment.optional(),
    size: constraintFields.size.optional(),
    count: constraintFields.count.optional(),
    notes: constraintFields.notes.optional(),
  })
  .strict();
export type Constraints = z.infer<typeof constraintsSchema>;

export const intentResultSchema = z.object({
  intent: z.enum(intentKinds),
  confidence: z.number().min(0).max(1),
  constraints: constraintsSchema,
});
export type IntentResult = z.infer<typeof intentResultSchema>;

/** One row of the result, as docs/architecture.md#the-cli shows it. */
export const leadSchema = z.object({
  rank: z.number().int().min(1),
  name: z.string(),
  website: z.string().nullable(),
  headquarters: z.string().nullable(),
  size: z.string().nullable(),
  industry: z.string().nullable(),
  fitScore: z.number().min(0).max(100),
  rationale: z.string(),
  sources: z.array(z.string()).min(1),
  /** Set when the team's CRM already holds the company (not as a customer or with an open deal: those are left out). */
  crm: crmMarkSchema.optional(),
});
export type Lead = z.infer<typeof leadSchema>;

/** The pipeline's stages, in order. */
export const pipelineStageNames = ['intent', 'research', 'enrichment', 'scoring'] as const;
export type PipelineStageName = (typeof pipelineStageNames)[number];

const stageMs = z.number().min(0);
/** Wall time of each stage the run went through, in milliseconds (a re-score has scoring only). */
export const stageTimesSchema = z
  .object({
    intent: stageMs.optional().describe('Reading the request'),
    research: stageMs.optional().describe('Planning queries, searching and listing candidates'),
    enrichment: stageMs.optional().describe('Looking up each company'),
    scoring: stageMs.optional().describe('Scoring fit and writing the reasons'),
  })
  .strict();
export type StageTimes = z.infer<typeof stageTimesSchema>;

export const runStatsSchema = z.object({
  llmCalls: z.number().int().min(0),
  promptTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  searches: z.number().int().min(0),
  /** Pages the page reader read in full (PAGE_READER); runs stored before it read pages have none. */
  pagesRead: z.number().int().min(0).optional(),
  cacheHits: z.number().int().min(0),
  durationMs: z.number().min(0),
  // Runs stored before stage times were kept read as having none.
  stageMs: stageTimesSchema.default({}),
  /** What a reader should know before trusting the result (fewer leads than asked, fewer than five). */
  warnings: z.array(z.string()),
});
export type RunStats = z.infer<typeof runStatsSchema>;

/** The document `--json` prints and results_cache/ stores. */
export const leadsDocumentSchema = z
  .object({
    runId: z.string(),
    request: z.string(),
    intent: intentResultSchema,
    leads: z.array(leadSchema),
    stats: runStatsSchema,
    /** How many companies the team's feedback kept out of this result (Slack runs only; absent when none). */
    hidden: z.number().int().positive().optional(),
    /** Set when a stored result answered the request at once (Slack's instant answers): the run it came from. */
    answeredFrom: z.object({ runId: z.string(), finishedAt: z.string() }).optional(),
    /** Companies left out because the team's CRM holds them as customers or with open deals (absent when none). */
    crmHidden: z.array(crmHiddenSchema).optional(),
  })
  .strict();
export type LeadsDocument = z.infer<typeof leadsDocumentSchema>;

export const stageNames = ['intent', 'research', 'enrichment', 'scoring', 'done', 'failed'] as const;
export type Stage = (typeof stageNames)[number];

/** What every front end renders: a Slack progress message, a terminal bar. */
export interface ProgressEvent {
  runId: string;
  stage: Stage;
  done: number;
  total: number;
  message: string;
}

/** A company found in search results, with the result URLs that mention it. */
export interface Candidate {
  name: string;
  /** Normalised name used for merging ("autonation"). */
  key: string;
  sources: string[];
  /** Website domain if known from the results ("autonation.com"). */
  domain: string | null;
  /** Short evidence text from the results that mention it. */
  evidence: string[];
}

/** A fact plus the source that supports it; unsupported facts are null. */
export interface SourcedField {
  value: string;
  source: string;
}

export interface EnrichedCompany {
  name: string;
  key: string;
  website: SourcedField | null;
  headquarters: SourcedField | null;
  size: SourcedField | null;
  industry: SourcedField | null;
  description: SourcedField | null;
  /** Every URL this company's facts rest on (candidate sources first). */
  sources: string[];
}

/** A screen score: only decides which companies get explained; never shown and never ranks a lead. */
export interface ScreenScore {
  key: string;
  fit: number;
}

/** A fit score and its reason, written together for one company by one explain pass (`pass`) of a run or re-score. */
export interface ExplainedScore {
  key: string;
  fitScore: number;
  rationale: string;
  pass: string;
}

/** Where the names the model found went: the numbers behind "no leads" and "fewer leads than asked". */
export interface LeadFunnel {
  /** Distinct names the model listed from the search results. */
  namesFound: number;
  /** Listed names that no fetched result contains (invented or misread). */
  notInResults: number;
  /** Competitors and the profile's own company. */
  excluded: number;
  /** Companies left with no source URL that search returned. */
  withoutSource: number;
  /** Companies the model gave no usable score with a reason. */
  unscored: number;
}

/** Where a run was started, so its messages can find their way back. */
export type RunOrigin =
  | { kind: 'cli' }
  | { kind: 'bench' }
  | {
      kind: 'slack';
      teamId: string;
      channelId: string;
      userId: string;
      /** The parent message all replies thread under. */
      threadTs: string;
      progressTs?: string;
      resultTs?: string;
    };

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** A run as persisted, updated as it progresses so a restart can find cut-off work. */
export interface StoredRun {
  runId: string;
  scope: string;
  origin: RunOrigin;
  request: string;
  status: RunStatus;
  stage: Stage;
  createdAt: string;
  updatedAt: string;
  intent?: IntentResult;
  /** The research stage's search queries (checkpointed so a resumed run searches the same). */
  queries?: string[];
  candidates?: Candidate[];
  /** Pages research read in full (PAGE_READER), by URL; their text is the page reader's `readText(url, scope)`. */
  pagesRead?: string[];
  /** Research's warnings (pages that could not be read), shown with the result's own. */
  researchWarnings?: string[];
  enrichment?: EnrichedCompany[];
  /** Explained scores of the latest scoring pass (screen scores are not kept). */
  scores?: ExplainedScore[];
  /** Research's counts, kept so a re-score can explain an empty result in numbers. */
  funnel?: LeadFunnel;
  /** What the result's reader should know (few leads); copied into the document's stats. */
  warnings?: string[];
  leads?: Lead[];
  stats: RunStats;
  error?: string;
  /** The process running it, so start-up recovery can tell a cut-off run from one still going elsewhere. */
  owner?: { host: string; pid: number };
  /** Notes given to re-score, newest last. */
  notes?: string[];
  top: number;
  /** The team's feedback the run was scored with (kept so a resumed run or a re-score without newer feedback uses it). */
  team?: TeamContext;
  /** Companies of this run that the team's feedback kept out of its leads. */
  hidden?: HiddenCompany[];
  /** Companies of this run that the team's CRM holds as customers or with open deals, left out of its leads. */
  crmHidden?: CrmHidden[];
  /** Set when this run is a stored result answering a new request at once, rather than new work. */
  answeredFrom?: { runId: string; finishedAt: string };
}

export interface RunRequest {
  text: string;
  /** Slack team id, or "cli": the cache, run store and results are kept per scope. */
  scope: string;
  origin?: RunOrigin;
  fresh?: boolean;
  top?: number;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Lets a front end know the id before the run starts (to store its thread first). */
  runId?: string;
  /** The workspace's feedback: companies to leave out and judgements that steer scoring. */
  team?: TeamContext;
}

export interface RescoreRequest {
  runId: string;
  scope: string;
  note?: string;
  /** The workspace's current feedback; without it the run's own is used again. */
  team?: TeamContext;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface ResumeRequest {
  runId: string;
  scope: string;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Answers a request with a finished run's result, stored again under a new id and origin: no model or search call. */
export interface ReuseRequest {
  scope: string;
  /** The finished run whose result answers the request. */
  fromRunId: string;
  runId?: string;
  origin: RunOrigin;
  /** The workspace's current feedback: companies hidden since the result was made are left out. */
  team?: TeamContext;
}

export interface RankChange {
  name: string;
  change: 'up' | 'down' | 'new' | 'same';
  from?: number;
  to: number;
}

export interface RescoreResult extends LeadsDocument {
  changes: RankChange[];
}

// Schemas of what the caches and the run store hold: every read is checked against them (a corrupt or old-shape
// entry is a miss, not a crash). Annotated with the interfaces above so the two cannot drift apart.
const sourcedFieldSchema = z.object({ value: z.string(), source: z.string() });

export const candidateSchema: z.ZodType<Candidate> = z.object({
  name: z.string(),
  key: z.string(),
  sources: z.array(z.string()),
  domain: z.string().nullable(),
  evidence: z.array(z.string()),
});

export const enrichedCompanySchema: z.ZodType<EnrichedCompany> = z.object({
  name: z.string(),
  key: z.string(),
  website: sourcedFieldSchema.nullable(),
  headquarters: sourcedFieldSchema.nullable(),
  size: sourcedFieldSchema.nullable(),
  industry: sourcedFieldSchema.nullable(),
  description: sourcedFieldSchema.nullable(),
  sources: z.array(z.string()),
});

const runOriginSchema: z.ZodType<RunOrigin> = z.union([
  z.object({ kind: z.literal('cli') }),
  z.object({ kind: z.literal('bench') }),
  z.object({
    kind: z.literal('slack'),
    teamId: z.string(),
    channelId: z.string(),
    userId: z.string(),
    threadTs: z.string(),
    progressTs: z.string().optional(),
    resultTs: z.string().optional(),
  }),
]);

// Loose: a field added to StoredRun but not here yet is kept, not silently dropped on the next read.
export const storedRunSchema: z.ZodType<StoredRun> = z.looseObject({
  runId: z.string(),
  scope: z.string(),
  origin: runOriginSchema,
  request: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'interrupted']),
  stage: z.enum(stageNames),
  createdAt: z.string(),
  updatedAt: z.string(),
  intent: intentResultSchema.optional(),
  queries: z.array(z.string()).optional(),
  candidates: z.array(candidateSchema).optional(),
  pagesRead: z.array(z.string()).optional(),
  researchWarnings: z.array(z.string()).optional(),
  enrichment: z.array(enrichedCompanySchema).optional(),
  // Runs stored before explain passes were named keep their scores readable (re-score writes new ones anyway).
  scores: z
    .array(
      z.object({ key: z.string(), fitScore: z.number(), rationale: z.string(), pass: z.string().catch('earlier') }),
    )
    .optional(),
  funnel: z
    .object({
      namesFound: z.number(),
      notInResults: z.number(),
      excluded: z.number(),
      withoutSource: z.number(),
      unscored: z.number(),
    })
    .optional(),
  warnings: z.array(z.string()).optional(),
  leads: z.array(leadSchema).optional(),
  stats: runStatsSchema.extend({ warnings: z.array(z.string()).default([]) }),
  error: z.string().optional(),
  owner: z.object({ host: z.string(), pid: z.number() }).optional(),
  notes: z.array(z.string()).optional(),
  top: z.number(),
  team: teamContextSchema.optional(),
  hidden: z.array(hiddenCompanySchema).optional(),
  crmHidden: z.array(crmHiddenSchema).optional(),
  answeredFrom: z.object({ runId: z.string(), finishedAt: z.string() }).optional(),
});

/** The one entry point every front end calls. */
export interface Orchestrator {
  /** Runs the whole pipeline; rejects with RunFailedError (carrying the runId) when it cannot finish. */
  run(request: RunRequest): Promise<LeadsDocument>;
  /** Re-runs scoring only, on a stored run's enrichment, with an optional note from the user. */
  rescore(request: RescoreRequest): Promise<RescoreResult>;
  /** Continues a stored run that did not finish from its last checkpoint: finished stages are not repeated. */
  resume(request: ResumeRequest): Promise<LeadsDocument>;
  /** Answers with a stored finished result (a scheduled digest's) under a new id and origin, leads re-ranked without hidden companies. */
  reuse(request: ReuseRequest): Promise<LeadsDocument>;
  getRun(scope: string, runId: string): Promise<StoredRun | undefined>;
  /** At start-up: marks runs a stopped process left 'running' as 'interrupted' (once) and returns them, stage kept.
   * `stillGoing` spares runs the caller knows are still under way elsewhere (a queued or running job). */
  interruptUnfinished(stillGoing?: (run: StoredRun) => Promise<boolean>): Promise<StoredRun[]>;
}

/** A run that could not finish; `runId` lets the front end point at the stored partial work. */
export class RunFailedError extends Error {
  override readonly name: string = 'RunFailedError';
  constructor(
    readonly runId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A run that ended with no company fit to show: a failure, with the numbers that say why. */
export class NoLeadsError extends RunFailedError {
  override readonly name = 'NoLeadsError';
  constructor(
    runId: string,
    readonly funnel: LeadFunnel,
    message: string,
  ) {
    super(runId, message);
  }
}
