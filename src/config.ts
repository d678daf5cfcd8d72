import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { truncate } from './domain/text.js';
import { redactUrlCredentials, splitUrlCredentials } from './domain/url-credentials.js';

export const SEARCH_PROVIDER_NAMES = ['duckduckgo', 'tavily', 'serper', 'google', 'searxng'] as const;
export type SearchProviderName = (typeof SEARCH_PROVIDER_NAMES)[number];

/** How pages are read in full: Tavily's extract, a direct fetch (public addresses only), or not at all. */
export const PAGE_READER_NAMES = ['tavily', 'fetch', 'none'] as const;
export type PageReaderName = (typeof PAGE_READER_NAMES)[number];

/** The search settings a provider's credentials are read from. */
type SearchSettings = Omit<Config['search'], 'providers' | 'timeoutMs'>;

/**
 * What each search provider needs before it can search: the one place that knows it. Configuration checks,
 * the default chain, the chain builder and every "set/check X" message read this table.
 */
export const SEARCH_CREDENTIALS: Record<
  SearchProviderName,
  {
    variables: readonly string[];
    has(search: SearchSettings): boolean;
    where?: string;
    /** What to check when the provider refuses us, if more than `variables`. */ authHint?: string;
  }
> = {
  // Tavily also runs keyless (a shared, capped quota), so it is usable without its key.
  tavily: { variables: ['TAVILY_API_KEY'], has: (s) => !!s.tavily.apiKey },
  serper: { variables: ['SERPER_API_KEY'], has: (s) => !!s.serper.apiKey, where: 'get one at serper.dev' },
  google: { variables: ['GOOGLE_CSE_KEY', 'GOOGLE_CSE_CX'], has: (s) => !!(s.google.key && s.google.cx) },
  searxng: {
    variables: ['SEARXNG_URL'],
    has: (s) => !!s.searxngUrl,
    where: 'the base URL of a SearXNG instance with the JSON format enabled',
    authHint: 'SEARXNG_URL (user:password@) or SEARXNG_BEARER_TOKEN',
  },
  duckduckgo: { variables: [], has: () => true },
};

/** "GOOGLE_CSE_KEY and GOOGLE_CSE_CX": what to set or check for a provider, in messages. */
export function searchCredentialHint(name: SearchProviderName, join = ' and '): string {
  return SEARCH_CREDENTIALS[name].variables.join(join);
}

/** What to check when a provider refuses our credentials ("GOOGLE_CSE_KEY and GOOGLE_CSE_CX"). */
export function searchAuthHint(name: SearchProviderName): string {
  return SEARCH_CREDENTIALS[name].authHint ?? searchCredentialHint(name);
}

/** Throws ConfigError naming what a provider lacks; Tavily lacks nothing (it falls back to keyless). */
export function requireSearchCredentials(name: SearchProviderName, search: SearchSettings): void {
  const issue = missingCredentials(name, search, `to search with ${name}`);
  if (issue) throw configError([issue]);
}

function missingCredentials(
  name: SearchProviderName,
  search: SearchSettings,
  purpose: string,
): { variable: string; problem: string } | undefined {
  const { variables, has, where } = SEARCH_CREDENTIALS[name];
  if (name === 'tavily' || has(search)) return undefined;
  const [first = name] = variables;
  const subject = variables.length > 1 ? `${variables.join(' and ')} are` : 'is';
  return { variable: first, problem: `${subject} required ${purpose}${where ? ` (${where})` : ''}` };
}

/** OpenAI's own API; any OpenAI-compatible server (vLLM, llama-server, LM Studio) is reached by setting OPENAI_BASE_URL. */
export const OPENAI_API_BASE = 'https://api.openai.com/v1';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const httpUrl = (example: string) =>
  z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^\s/]+/i.test(value), `must be an http(s) URL such as ${example}`);

const optionalHttpUrl = (example: string) =>
  optionalText.refine(
    (value) => value === undefined || /^https?:\/\/[^\s/]+/i.test(value),
    `must be an http(s) URL such as ${example}`,
  );

const wholeNumber = () => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number');

const positiveInt = (fallback: number, max: number) =>
  wholeNumber().min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(fallback);

/** The environment as docs/architecture.md#configuration names it; every key is documented in .env.example. */
const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith('xoxb-'),
    'must be a bot token starting with xoxb-',
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith('xapp-'),
    'must be an app-level token starting with xapp-',
  ),
  PORT: wholeNumber()
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .default(3000),
  SLACK_API_URL: httpUrl('https://slack.com/api/').default('https://slack.com/api/'),
  LLM_PROVIDER: z
    .enum(['ollama', 'huggingface', 'openai'], { error: 'must be ollama, huggingface or openai' })
    .default('ollama'),
  OLLAMA_HOST: httpUrl('http://127.0.0.1:11434').default('http://127.0.0.1:11434'),
  OLLAMA_MODEL: z.string().trim().min(1).default('llama3.1:8b'),
  HF_TOKEN: optionalText,
  HF_MODEL: z.string().trim().min(1).default('mistralai/Mistral-7B-Instruct-v0.3'),
  HF_ENDPOINT_URL: optionalHttpUrl('https://router.huggingface.co/v1'),
  OPENAI_BASE_URL: httpUrl('http://127.0.0.1:8000/v1').default(OPENAI_API_BASE),
  OPENAI_API_KEY: optionalText,
  OPENAI_MODEL: optionalText,
  LLM_CONCURRENCY: positiveInt(2, 64),
  LLM_TIMEOUT_MS: positiveInt(60_000, 600_000),
  SEARCH_PROVIDERS: optionalText,
  SEARCH_TIMEOUT_MS: positiveInt(10_000, 120_000),
  PAGE_READER: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(PAGE_READER_NAMES, { error: 'must be tavily, fetch or none' }))
    .default('tavily'),
  TAVILY_API_KEY: optionalText,
  TAVILY_API_URL: httpUrl('https://api.tavily.com').default('https://api.tavily.com'),
  SERPER_API_KEY: optionalText,
  SERPER_API_URL: httpUrl('https://google.serper.dev').default('https://google.serper.dev'),
  GOOGLE_CSE_KEY: optionalText,
  GOOGLE_CSE_CX: optionalText,
  GOOGLE_CSE_API_URL: httpUrl('https://www.googleapis.com/customsearch/v1').default(
    'https://www.googleapis.com/customsearch/v1',
  ),
  SEARXNG_URL: optionalHttpUrl('http://127.0.0.1:8888'),
  DUCKDUCKGO_PROXY: optionalHttpUrl('http://127.0.0.1:8080'),
  OLLAMA_BEARER_TOKEN: optionalText,
  SEARXNG_BEARER_TOKEN: optionalText,
  SERPER_BEARER_TOKEN: optionalText,
  GOOGLE_CSE_BEARER_TOKEN: optionalText,
  SLACK_ALLOWED_BOTS: optionalText,
  CACHE_URL: optionalText.refine(
    (v) => v === undefined || /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:\/\/)$/.test(v),
    'must be sqlite://<path>, redis://<host>:<port> or memory://',
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  COMPANY_CONTEXT: z.string().trim().min(1).default('data/axlewave_context/company_context.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).default('json'),
  METRICS_PORT: wholeNumber()
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .optional(),
  REDIS_URL: optionalText.refine(
    (v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v),
    'must be redis://[:password@]host:port[/db] (or rediss:// for TLS)',
  ),
  REDIS_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1 to 40 letters, digits, dots, dashes or underscores')
    .default('leads'),
  WORKERS: z
    .enum(['inline', 'external'], {
      error: 'must be inline (the app also runs jobs) or external (only `npm run worker` processes do)',
    })
    .default('inline'),
  WORKER_CONCURRENCY: positiveInt(8, 100),
  JOB_STALL_MS: wholeNumber().min(1000, 'must be at least 1000').max(600_000, 'must be at most 600000').default(30_000),
  SHUTDOWN_GRACE_MS: wholeNumber().min(0, 'must be 0 or more').max(600_000, 'must be at most 600000').default(30_000),
  HUBSPOT_TOKEN: optionalText,
  HUBSPOT_API_URL: httpUrl('https://api.hubapi.com').default('https://api.hubapi.com'),
  HUBSPOT_SCORE_PROPERTY: optionalText.refine(
    (v) => v === undefined || /^[a-z][a-z0-9_]{0,99}$/.test(v),
    'must be the internal name of a HubSpot company property, e.g. leads_fit_score',
  ),
  SALESFORCE_LOGIN_URL: httpUrl('https://mydomain.my.salesforce.com').default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: optionalText,
  SALESFORCE_CLIENT_SECRET: optionalText,
  SALESFORCE_USERNAME: optionalText,
  SALESFORCE_PRIVATE_KEY: optionalText,
  SALESFORCE_PRIVATE_KEY_FILE: optionalText,
  SALESFORCE_API_VERSION: z
    .string()
    .trim()
    .regex(/^\d{2,3}\.0$/, 'must be a REST API version such as 62.0')
    .default('62.0'),
  SCHEDULE_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'must be an IANA time zone such as UTC, America/Chicago or Europe/Berlin'),
});

/** Every variable the configuration reads; each is documented in .env.example, the README and docs/architecture.md. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Endpoints whose URL may carry user:password@ or that take a bearer token of their own. */
export type AuthEndpoint = 'ollama' | 'searxng' | 'serper' | 'google';

export interface Config {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    port: number;
    apiUrl: string;
    /** Bot ids (B…) whose @mentions are answered; other bots are ignored. */
    allowedBots: string[];
  };
  llm: {
    provider: 'ollama' | 'huggingface' | 'openai';
    ollamaHost: string;
    ollamaModel: string;
    hfToken?: string;
    hfModel: string;
    hfEndpointUrl?: string;
    /** An OpenAI-compatible API's base URL (OPENAI_BASE_URL). */
    openaiBaseUrl: string;
    /** Optional: local servers (vLLM, llama-server, LM Studio) usually need none. */
    openaiApiKey?: string;
    /** Required when provider is openai. */
    openaiModel?: string;
    concurrency: number;
    timeoutMs: number;
  };
  search: {
    providers: SearchProviderName[];
    timeoutMs: number;
    tavily: { apiKey?: string; apiUrl: string };
    serper: { apiKey?: string; apiUrl: string };
    google: { key?: string; cx?: string; apiUrl: string };
    searxngUrl?: string;
    duckduckgoProxy?: string;
  };
  /** PAGE_READER: which reader reads list pages and company pages in full (Tavily's reads use `search.tavily`). */
  pageReader: PageReaderName;
  /** Authorization header per endpoint: Basic from the URL's user:password, or Bearer from its *_BEARER_TOKEN. */
  endpointAuth: Partial<Record<AuthEndpoint, string>>;
  /** Credentials taken out of URLs and bearer tokens: never printed. */
  urlSecrets: string[];
  cacheUrl: string;
  /** Set (REDIS_URL) when several processes share state: the run store, de-duplication, one-run-per-person and the job queue. */
  redis?: { url: string; prefix: string };
  /** How runs are executed: in this process, or as jobs on the `leads-runs` queue (Redis mode only). */
  jobs: { workers: 'inline' | 'external'; concurrency: number; stallMs: number };
  /** How long SIGTERM waits for work in flight before handing it back. */
  shutdownGraceMs: number;
  dataDir: string;
  companyContextPath: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** json for machines (the default), pretty for people reading a terminal. */
  logFormat: 'json' | 'pretty';
  /** Where a process without an HTTP server of its own serves /metrics; unset = not served there. */
  metricsPort?: number;
  /** Set when HUBSPOT_TOKEN is: results get a "Send to HubSpot" button. */
  hubspot?: { token: string; apiUrl: string; scoreProperty?: string };
  /** Set when SALESFORCE_CLIENT_ID is: results get a "Send to Salesforce" button, and runs leave its customers out. */
  salesforce?: SalesforceConfig;
  /** Time zone "daily" and "weekly" digests (and cron expressions) are read in. */
  schedules: { timezone: string };
}

/** How Leads logs in to Salesforce: client credentials (a secret) or JWT bearer (a user and a private key). */
export interface SalesforceConfig {
  loginUrl: string;
  apiVersion: string;
  credentials:
    | { flow: 'client_credentials'; clientId: string; clientSecret: string }
    | { flow: 'jwt_bearer'; clientId: string; username: string; privateKey: string };
}

type Env = Record<string, string | undefined>;

/** Values never echoed back in error messages or logs. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'HF_TOKEN',
  'OPENAI_API_KEY',
  'TAVILY_API_KEY',
  'SERPER_API_KEY',
  'GOOGLE_CSE_KEY',
  'OLLAMA_BEARER_TOKEN',
  'SEARXNG_BEARER_TOKEN',
  'SERPER_BEARER_TOKEN',
  'GOOGLE_CSE_BEARER_TOKEN',
  'HUBSPOT_TOKEN',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_PRIVATE_KEY',
]);

/** Reads and validates configuration once, from an env object the entry point passes in. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = envSchema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const origin = dotEnvOrigins.get(env);
    const issues = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const got = env[variable];
      const shown =
        got !== undefined && !SECRET_VARIABLES.has(variable) && !holdsSecret(got, env)
          ? ` (got "${truncate(redactUrlCredentials(got), 60)}")`
          : '';
      const where = origin?.keys.has(variable) ? ` (set in ${origin.path})` : '';
      return { variable, problem: `${issue.message}${shown}${where}` };
    });
    throw configError(issues);
  }
  const e = parsed.data;
  const issues: { variable: string; problem: string }[] = [];
  const endpoints = readEndpointCredentials(e, issues);
  const searchSettings: SearchSettings = {
    tavily: { apiKey: e.TAVILY_API_KEY, apiUrl: e.TAVILY_API_URL.replace(/\/+$/, '') },
    serper: { apiKey: e.SERPER_API_KEY, apiUrl: endpoints.urls.serper.replace(/\/+$/, '') },
    google: { key: e.GOOGLE_CSE_KEY, cx: e.GOOGLE_CSE_CX, apiUrl: endpoints.urls.google },
    searxngUrl: endpoints.urls.searxng?.replace(/\/+$/, ''),
    duckduckgoProxy: e.DUCKDUCKGO_PROXY,
  };
  const providers = resolveSearchProviders(e.SEARCH_PROVIDERS, searchSettings, issues);
  if (e.LLM_PROVIDER === 'huggingface' && !e.HF_TOKEN) {
    issues.push({
      variable: 'HF_TOKEN',
      problem: 'is required when LLM_PROVIDER=huggingface (a token from huggingface.co/settings/tokens)',
    });
  }
  if (e.LLM_PROVIDER === 'openai') issues.push(...openaiIssues(e));
  const salesforce = readSalesforce(e, issues);
  if (e.REDIS_URL && e.CACHE_URL && !/^rediss?:\/\//.test(e.CACHE_URL)) {
    issues.push({
      variable: 'CACHE_URL',
      problem:
        'must be a redis:// URL (or unset, to use REDIS_URL) when REDIS_URL is set: processes sharing work must share the cache and the run store',
    });
  }
  if (issues.length > 0) throw configError(issues);

  const dataDir = resolve(e.DATA_DIR);
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      port: e.PORT,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      allowedBots: (e.SLACK_ALLOWED_BOTS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    },
    llm: {
      provider: e.LLM_PROVIDER,
      ollamaHost: endpoints.urls.ollama.replace(/\/+$/, ''),
      ollamaModel: e.OLLAMA_MODEL,
      hfToken: e.HF_TOKEN,
      hfModel: e.HF_MODEL,
      hfEndpointUrl: e.HF_ENDPOINT_URL,
      openaiBaseUrl: e.OPENAI_BASE_URL.replace(/\/+$/, ''),
      openaiApiKey: e.OPENAI_API_KEY,
      openaiModel: e.OPENAI_MODEL,
      concurrency: e.LLM_CONCURRENCY,
      timeoutMs: e.LLM_TIMEOUT_MS,
    },
    search: { providers, timeoutMs: e.SEARCH_TIMEOUT_MS, ...searchSettings },
    pageReader: e.PAGE_READER,
    endpointAuth: endpoints.auth,
    urlSecrets: endpoints.secrets,
    // The cache follows DATA_DIR unless CACHE_URL says otherwise, so one DATA_DIR is one self-contained state.
    cacheUrl: e.CACHE_URL ?? e.REDIS_URL ?? `sqlite://${resolve(dataDir, 'cache.sqlite')}`,
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } } : {}),
    jobs: { workers: e.WORKERS, concurrency: e.WORKER_CONCURRENCY, stallMs: e.JOB_STALL_MS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    dataDir,
    companyContextPath: resolve(e.COMPANY_CONTEXT),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metricsPort: e.METRICS_PORT,
    ...(e.HUBSPOT_TOKEN
      ? {
          hubspot: {
            token: e.HUBSPOT_TOKEN,
            apiUrl: e.HUBSPOT_API_URL.replace(/\/+$/, ''),
            ...(e.HUBSPOT_SCORE_PROPERTY ? { scoreProperty: e.HUBSPOT_SCORE_PROPERTY } : {}),
          },
        }
      : {}),
    ...(salesforce ? { salesforce } : {}),
    schedules: { timezone: e.SCHEDULE_TIMEZONE },
  };
}

/** The Slack app needs credentials the CLI does not; this names whichever are missing. */
export function requireSlackCredentials(config: Config): asserts config is Config & {
  slack: { botToken: string; signingSecret: string };
} {
  const issues: { variable: string; problem: string }[] = [];
  if (!config.slack.botToken)
    issues.push({
      variable: 'SLACK_BOT_TOKEN',
      problem: 'is required to run the Slack app (OAuth & Permissions > Bot User OAuth Token, xoxb-…)',
    });
  if (!config.slack.signingSecret)
    issues.push({
      variable: 'SLACK_SIGNING_SECRET',
      problem: 'is required to run the Slack app (Basic Information > App Credentials > Signing Secret)',
    });
  if (issues.length > 0) throw configError(issues);
}

type ParsedEnv = z.infer<typeof envSchema>;

/** Takes user:password@ out of each provider URL (sent as Basic instead) and pairs each URL with its bearer token. */
function readEndpointCredentials(e: ParsedEnv, issues: { variable: string; problem: string }[]) {
  const auth: Partial<Record<AuthEndpoint, string>> = {};
  const secrets: string[] = [];
  const read = (
    endpoint: AuthEndpoint,
    variable: string,
    raw: string | undefined,
    bearerVariable: string,
    bearer: string | undefined,
  ) => {
    if (raw === undefined) return undefined;
    const split = splitUrlCredentials(raw);
    secrets.push(...split.secrets);
    if (bearer) secrets.push(bearer);
    if (split.authorization && bearer) {
      issues.push({ variable, problem: `has user:password@ and ${bearerVariable} is set too; keep one of them` });
    }
    const header = split.authorization ?? (bearer ? `Bearer ${bearer}` : undefined);
    if (header) auth[endpoint] = header;
    return split.url;
  };
  const urls = {
    ollama: read('ollama', 'OLLAMA_HOST', e.OLLAMA_HOST, 'OLLAMA_BEARER_TOKEN', e.OLLAMA_BEARER_TOKEN) as string,
    searxng: read('searxng', 'SEARXNG_URL', e.SEARXNG_URL, 'SEARXNG_BEARER_TOKEN', e.SEARXNG_BEARER_TOKEN),
    serper: read('serper', 'SERPER_API_URL', e.SERPER_API_URL, 'SERPER_BEARER_TOKEN', e.SERPER_BEARER_TOKEN) as string,
    google: read(
      'google',
      'GOOGLE_CSE_API_URL',
      e.GOOGLE_CSE_API_URL,
      'GOOGLE_CSE_BEARER_TOKEN',
      e.GOOGLE_CSE_BEARER_TOKEN,
    ) as string,
  };
  // These clients already send their key as the Authorization header, so a URL cannot carry a second one.
  const ownBearer: [string, string | undefined, string][] = [
    ['HF_ENDPOINT_URL', e.HF_ENDPOINT_URL, 'HF_TOKEN'],
    ['OPENAI_BASE_URL', e.OPENAI_BASE_URL, 'OPENAI_API_KEY'],
    ['TAVILY_API_URL', e.TAVILY_API_URL, 'TAVILY_API_KEY'],
    ['SLACK_API_URL', e.SLACK_API_URL, 'SLACK_BOT_TOKEN'],
  ];
  for (const [variable, raw, key] of ownBearer) {
    const split = raw === undefined ? undefined : splitUrlCredentials(raw);
    if (split?.authorization) {
      secrets.push(...split.secrets);
      issues.push({
        variable,
        problem: `must not contain user:password@: this client sends ${key} as its Authorization header`,
      });
    }
  }
  if (e.DUCKDUCKGO_PROXY) secrets.push(...splitUrlCredentials(e.DUCKDUCKGO_PROXY).secrets);
  // Redis clients take the password from the URL itself; it is only kept out of every output.
  for (const url of [e.REDIS_URL, e.CACHE_URL])
    if (url && /^rediss?:\/\//.test(url)) secrets.push(...splitUrlCredentials(url).secrets);
  return { urls, auth, secrets };
}

/** The Salesforce settings, when SALESFORCE_CLIENT_ID is set: one OAuth flow, its credentials complete and readable. */
function readSalesforce(e: ParsedEnv, issues: { variable: string; problem: string }[]): SalesforceConfig | undefined {
  const others = [
    'SALESFORCE_CLIENT_SECRET',
    'SALESFORCE_USERNAME',
    'SALESFORCE_PRIVATE_KEY',
    'SALESFORCE_PRIVATE_KEY_FILE',
  ] as const;
  if (!e.SALESFORCE_CLIENT_ID) {
    const set = others.filter((name) => e[name] !== undefined);
    if (set.length > 0)
      issues.push({
        variable: 'SALESFORCE_CLIENT_ID',
        problem: `is required with ${set.join(', ')} (the consumer key of the connected or external client app)`,
      });
    return undefined;
  }
  const base = { loginUrl: e.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''), apiVersion: e.SALESFORCE_API_VERSION };
  const clientId = e.SALESFORCE_CLIENT_ID;
  if (!e.SALESFORCE_USERNAME) {
    if (!e.SALESFORCE_CLIENT_SECRET) {
      issues.push({
        variable: 'SALESFORCE_CLIENT_SECRET',
        problem:
          'is required with SALESFORCE_CLIENT_ID for the client credentials flow (or set SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY for the JWT bearer flow)',
      });
      return undefined;
    }
    return { ...base, credentials: { flow: 'client_credentials', clientId, clientSecret: e.SALESFORCE_CLIENT_SECRET } };
  }
  if (e.SALESFORCE_CLIENT_SECRET) {
    issues.push({
      variable: 'SALESFORCE_CLIENT_SECRET',
      problem:
        'and SALESFORCE_USERNAME are both set: keep SALESFORCE_CLIENT_SECRET for the client credentials flow, or SALESFORCE_USERNAME with SALESFORCE_PRIVATE_KEY for the JWT bearer flow',
    });
    return undefined;
  }
  const privateKey = readPrivateKey(e, issues);
  return privateKey === undefined
    ? undefined
    : { ...base, credentials: { flow: 'jwt_bearer', clientId, username: e.SALESFORCE_USERNAME, privateKey } };
}

/** The JWT signing key: SALESFORCE_PRIVATE_KEY (PEM; `\n` escapes allowed for a one-line .env) or the file it names. */
function readPrivateKey(e: ParsedEnv, issues: { variable: string; problem: string }[]): string | undefined {
  let pem: string;
  let variable: string;
  if (e.SALESFORCE_PRIVATE_KEY) {
    variable = 'SALESFORCE_PRIVATE_KEY';
    pem = e.SALESFORCE_PRIVATE_KEY.replace(/\\n/g, '\n');
  } else if (e.SALESFORCE_PRIVATE_KEY_FILE) {
    variable = 'SALESFORCE_PRIVATE_KEY_FILE';
    try {
      pem = readFileSync(resolve(e.SALESFORCE_PRIVATE_KEY_FILE), 'utf8');
    } catch (error) {
      issues.push({ variable, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return undefined;
    }
  } else {
    issues.push({
      variable: 'SALESFORCE_PRIVATE_KEY',
      problem:
        'or SALESFORCE_PRIVATE_KEY_FILE is required with SALESFORCE_USERNAME (the JWT bearer flow signs with it)',
    });
    return undefined;
  }
  try {
    createPrivateKey(pem);
  } catch {
    issues.push({ variable, problem: 'is not a PEM private key (-----BEGIN PRIVATE KEY----- …)' });
    return undefined;
  }
  return pem;
}

/** LLM_PROVIDER=openai needs a model name, and a key when it is OpenAI's own API (local servers need none). */
function openaiIssues(e: ParsedEnv): { variable: string; problem: string }[] {
  const issues: { variable: string; problem: string }[] = [];
  if (!e.OPENAI_MODEL)
    issues.push({
      variable: 'OPENAI_MODEL',
      problem:
        'is required when LLM_PROVIDER=openai: the model the server serves (e.g. Qwen/Qwen2.5-7B-Instruct on vLLM, the --alias of llama-server, gpt-4o-mini on OpenAI)',
    });
  const isOpenAi = /^https?:\/\/api\.openai\.com(\/|$)/i.test(e.OPENAI_BASE_URL);
  if (isOpenAi && !e.OPENAI_API_KEY)
    issues.push({
      variable: 'OPENAI_API_KEY',
      problem: `is required for ${OPENAI_API_BASE} (create one at https://platform.openai.com/api-keys); for a local server (vLLM, llama-server, LM Studio) set OPENAI_BASE_URL to it instead`,
    });
  return issues;
}

/** `npm run worker` takes jobs from Redis and posts to Slack itself: it needs REDIS_URL and the bot token. */
export function requireWorkerConfig(
  config: Config,
): asserts config is Config & { redis: { url: string; prefix: string }; slack: { botToken: string } } {
  const issues: { variable: string; problem: string }[] = [];
  if (!config.redis)
    issues.push({
      variable: 'REDIS_URL',
      problem: 'is required to run a worker (workers take their jobs from the `leads-runs` queue in Redis)',
    });
  if (!config.slack.botToken)
    issues.push({
      variable: 'SLACK_BOT_TOKEN',
      problem: 'is required to run a worker (it posts progress and results to Slack itself)',
    });
  if (issues.length > 0) throw configError(issues);
}

function resolveSearchProviders(
  list: string | undefined,
  search: SearchSettings,
  issues: { variable: string; problem: string }[],
): SearchProviderName[] {
  if (list) {
    const names = list
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const unknown = names.filter((name) => !(SEARCH_PROVIDER_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      issues.push({
        variable: 'SEARCH_PROVIDERS',
        problem: `unknown provider "${unknown.join('", "')}"; use a comma list of ${SEARCH_PROVIDER_NAMES.join(', ')}`,
      });
      return [];
    }
    const chosen = [...new Set(names)] as SearchProviderName[];
    for (const name of chosen) {
      const issue = missingCredentials(name, search, `because SEARCH_PROVIDERS includes ${name}`);
      if (issue) issues.push(issue);
    }
    if (chosen.length === 0) issues.push({ variable: 'SEARCH_PROVIDERS', problem: 'lists no provider' });
    return chosen;
  }
  // Every provider with its credentials, then keyless Tavily (unless keyed above), then DuckDuckGo as the last resort.
  const keyed = (['tavily', 'serper', 'google', 'searxng'] as const).filter((name) =>
    SEARCH_CREDENTIALS[name].has(search),
  );
  return [...keyed, ...(keyed.includes('tavily') ? [] : ['tavily' as const]), 'duckduckgo'];
}

/** Parses a .env file; a line that is not KEY=VALUE is reported with its line number rather than skipped. */
export function readDotEnv(path = '.env'): Env {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  const values: Env = {};
  const problems: { variable: string; problem: string }[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      // A broken line may be a pasted secret: show its first word only when it looks like a variable name.
      const firstWord = line.split(/[\s=:]/)[0] ?? '';
      const hint = /^[A-Z][A-Z0-9_]{1,40}$/.test(firstWord) ? ` (starts with "${firstWord}")` : '';
      problems.push({ variable: `${path}:${index + 1}`, problem: `is not KEY=VALUE${hint}` });
      return;
    }
    let value = match[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    values[match[1] as string] = value;
  });
  if (problems.length > 0) throw configError(problems, path);
  return values;
}

/** Which variables of an environment came from which .env file, so a bad value's message can name the file. */
const dotEnvOrigins = new WeakMap<Env, { path: string; keys: ReadonlySet<string> }>();

/** The environment the entry points use: real variables win over .env. */
export function environmentWithDotEnv(env: Env = process.env, dotEnvPath = '.env'): Env {
  const fromFile = readDotEnv(dotEnvPath);
  const merged = { ...fromFile, ...env };
  dotEnvOrigins.set(merged, {
    path: dotEnvPath,
    keys: new Set(Object.keys(fromFile).filter((key) => env[key] === undefined)),
  });
  return merged;
}

function pickKnown(env: Env): Env {
  const known: Env = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    // An empty variable counts as unset, as in most shells' `FOO= cmd` idiom.
    if (value !== undefined && value.trim() !== '') known[key] = value;
  }
  return known;
}

function configError(issues: { variable: string; problem: string }[], file?: string): ConfigError {
  const lines = issues.map((issue) => `  ${issue.variable}: ${issue.problem}`);
  const where = file ? ` in ${file}` : '';
  return new ConfigError(
    `Configuration error${where}:\n${lines.join('\n')}\nSet these in the environment or in .env (see .env.example).`,
    issues,
  );
}

/** A secret pasted into the wrong variable must not be echoed either. */
function holdsSecret(value: string, env: Env): boolean {
  return [...SECRET_VARIABLES].some((name) => {
    const secret = env[name]?.trim();
    return secret !== undefined && secret.length >= 6 && value.includes(secret);
  });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
