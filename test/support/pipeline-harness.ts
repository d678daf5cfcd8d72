// A real pipeline (real config, services, orchestrator, ollama and @tavily/core clients) wired to loopback
// fakes of Ollama and Tavily that serve the fake web. Tests of every front end start from here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import type { Metrics } from '../../src/metrics/metrics.js';
import { createServices, type Services } from '../../src/services.js';
import { startFakeOllama, type FakeCostModel, type FakeOllama } from '../fakes/fake-ollama.js';
import { startFakeTavily, type TavilyFake } from '../fakes/fake-tavily.js';
import type { FakeSearchHit } from '../fakes/search-corpus.js';
import type { FetchReaderOptions } from '../../src/search/fetch-reader.js';
import { misbehavingModel, type MisbehavingModel, type ModelOptions } from '../fakes/misbehaving-model.js';
import { FAKE_WORLD, fakeWebPage, fakeWebResults, type FakeWebOptions } from './fake-web.js';
import { dropRedisPrefix } from './redis-server.js';
import { afterTest, once } from './teardown.js';
import { modeEnv } from './test-mode.js';

export interface HarnessOptions {
  /** The fake model's settings (its "brain"); by default it is cooperative (no misbehaviour) and knows the fake web. */
  brain?: Omit<ModelOptions, 'world'>;
  web?: FakeWebOptions;
  /** Another search engine than the fake web (with the pages its extract serves), e.g. `rankingWeb()`. */
  engine?: { results: (query: string) => FakeSearchHit[]; page: (url: string) => string | undefined };
  /** What the fake Tavily's /extract takes per request (the bench charges it). */
  extractLatencyMs?: number;
  /** Tests only: what PAGE_READER=fetch may reach (their loopback page servers). */
  fetchReader?: Pick<FetchReaderOptions, 'testOnlyAllowedAddresses' | 'testOnlyResolve'>;
  cost?: FakeCostModel;
  searchLatencyMs?: number;
  /** Extra or overriding environment variables (a function gets the fakes' URLs, e.g. to add credentials to one). */
  env?: Record<string, string> | ((urls: { ollama: string; tavily: string }) => Record<string, string>);
  /** The fake Ollama sits behind a proxy that wants exactly this Authorization header. */
  ollamaAuthorization?: string;
  /** Reuse a data directory (e.g. to share a cache between two harnesses). */
  dataDir?: string;
  /** The services' metrics (a fresh registry by default; `disabledMetrics()` for none). */
  metrics?: Metrics;
}

export interface PipelineHarness {
  services: Services;
  config: Config;
  /** The environment that points a child process (the CLI, the Slack app) at the same fakes. */
  env: Record<string, string>;
  ollama: FakeOllama;
  model: MisbehavingModel;
  tavily: TavilyFake;
  dataDir: string;
  /** Everything the services logged, as text. */
  logs(): string;
  close(): Promise<void>;
}

export async function startPipelineHarness(options: HarnessOptions = {}): Promise<PipelineHarness> {
  const model = misbehavingModel({ world: FAKE_WORLD, ...options.brain });
  const ollama = await startFakeOllama({
    respond: model.respond,
    cost: options.cost,
    requireAuthorization: options.ollamaAuthorization,
  });
  const tavily = await startFakeTavily({
    results: options.engine?.results ?? fakeWebResults(options.web),
    pages: options.engine?.page ?? fakeWebPage,
    latencyMs: options.searchLatencyMs,
    extractLatencyMs: options.extractLatencyMs,
  });
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'leads-test-'));
  const env: Record<string, string> = {
    OLLAMA_HOST: ollama.url,
    OLLAMA_MODEL: 'llama3.1:8b',
    SEARCH_PROVIDERS: 'tavily',
    TAVILY_API_URL: tavily.url,
    TAVILY_API_KEY: 'tvly-test-secret-key-000111',
    DATA_DIR: dataDir,
    COMPANY_CONTEXT: join(process.cwd(), 'data/axlewave_context/company_context.json'),
    LLM_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'info',
    ...(await modeEnv()),
    ...(typeof options.env === 'function' ? options.env({ ollama: ollama.url, tavily: tavily.url }) : options.env),
  };
  const config = loadConfig(env);
  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      done();
    },
  });
  const services = createServices(config, {
    logDestination: sink,
    metrics: options.metrics,
    fetchReader: options.fetchReader,
  });
  const harness: PipelineHarness = {
    services,
    config,
    env,
    ollama,
    model,
    tavily,
    dataDir,
    logs: () => logText,
    close: once(async () => {
      await services.close();
      await Promise.all([ollama.close(), tavily.close()]);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      // Redis mode: nothing of this harness stays in a Redis other tests share.
      if (env.REDIS_URL && env.REDIS_PREFIX) await dropRedisPrefix(env.REDIS_URL, env.REDIS_PREFIX);
    }),
  };
  afterTest({ close: harness.close });
  return harness;
}
