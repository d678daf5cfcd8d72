// One real pipeline (config, services, the real ollama and @tavily/core clients) on loopback fakes, shared by many
// seeded runs: a memory cache, no cost model, a small fake web, and a misbehaving model reconfigured per run.
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { startFakeOllama, type FakeOllama } from '../fakes/fake-ollama.js';
import { startFakeTavily } from '../fakes/fake-tavily.js';
import { misbehavingModel, type MisbehavingModel } from '../fakes/misbehaving-model.js';
import type { Misbehaviour } from '../fakes/misbehaviour.js';
import type { SearchFake } from '../fakes/search-corpus.js';
import { FAKE_WORLD, fakeWebResults, type FakeWebOptions } from './fake-web.js';
import { afterTest, once } from './teardown.js';
import { tempDir } from './temp-dir.js';

/** Small enough for hundreds of runs a minute, big enough to hold competitors, AxleWave and name variants. */
export const SMALL_WEB: FakeWebOptions = { companiesPerKind: 10, pagesPerQuery: 6 };

export interface PropertyPipeline {
  services: Services;
  ollama: FakeOllama;
  tavily: SearchFake<string>;
  model: MisbehavingModel;
  /** Every URL the fake search engine has served, normalised as leads carry them. */
  served: (queries: readonly string[]) => Set<string>;
  close(): Promise<void>;
}

export async function startPropertyPipeline(): Promise<PropertyPipeline> {
  const model = misbehavingModel({ world: FAKE_WORLD });
  const ollama = await startFakeOllama({ respond: model.respond });
  const engine = fakeWebResults(SMALL_WEB);
  const tavily = (await startFakeTavily({ results: engine })) as SearchFake<string>;
  const dataDir = tempDir('leads-property-');
  const config = loadConfig({
    OLLAMA_HOST: ollama.url,
    SEARCH_PROVIDERS: 'tavily',
    TAVILY_API_URL: tavily.url,
    TAVILY_API_KEY: 'tvly-property-key-000111',
    DATA_DIR: dataDir,
    CACHE_URL: 'memory://',
    COMPANY_CONTEXT: join(process.cwd(), 'data/axlewave_context/company_context.json'),
    LLM_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'silent',
  });
  const services = createServices(config);
  const { normaliseUrl } = await import('../../src/domain/url.js');
  const pipeline: PropertyPipeline = {
    services,
    ollama,
    tavily,
    model,
    served: (queries) => new Set(queries.flatMap((q) => engine(q).map((hit) => normaliseUrl(hit.url)))),
    close: once(async () => {
      await services.close();
      await Promise.all([ollama.close(), tavily.close()]);
    }),
  };
  afterTest({ close: pipeline.close });
  return pipeline;
}

const probability = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.6, noNaN: true }));

/** Any mix of the misbehaviour switches, each off or on at some rate. */
export const anyMisbehaviour: fc.Arbitrary<Misbehaviour> = fc.record({
  zeroBasedIds: probability,
  stringIds: probability,
  reversed: probability,
  omitNames: probability,
  dropEntries: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
  duplicateEntries: probability,
  explainDisagrees: probability,
  emptyRationale: probability,
  wrongCompanyRationale: probability,
  inventCompany: probability,
  cutOff: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
  think: probability,
  falseFacts: probability,
  wrongCompanyFacts: probability,
  canonicalFacts: probability,
  scoreNoise: fc.integer({ min: 0, max: 30 }),
});
