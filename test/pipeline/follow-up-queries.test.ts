// A request with a place or a segment that finds few companies searches again for the pages that list them
// ("dealer groups in Texas"), reads the list it finds, and keeps what the first pass found.
import { describe, expect, it } from 'vitest';
import type { FakeSearchHit } from '../fakes/search-corpus.js';
import { rankingPage } from '../support/fake-list-pages.js';
import { FAKE_COMPANIES, fakeWebResults } from '../support/fake-web.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';

const dealers = FAKE_COMPANIES.filter((c) => c.kind === 'customer');
const texasList = rankingPage(dealers.slice(4, 16), 'texasdealers.example.org', 'dealer groups in Texas');
const sparse = (query: string): FakeSearchHit[] => {
  if (/^"(.+)" headquarters website$/.test(query)) return fakeWebResults()(query);
  if (query === 'dealer groups in Texas') return [texasList.hit];
  // The model's own queries find one article naming the same four groups, whatever they ask.
  const [a, b, c, d] = dealers;
  return [
    {
      title: 'Texas dealers keep buying | Auto Retail News',
      url: 'https://news.example-auto.com/texas-dealers',
      snippet: `${a!.name} and ${b!.name} bought stores; ${c!.name} and ${d!.name} opened rooftops.`,
    },
  ];
};

describe('follow-up queries', () => {
  it('searches "dealer groups in Texas" when a Texas request finds few companies, and reads the list it finds', async () => {
    const h = await startPipelineHarness({
      engine: { results: sparse, page: (url) => (url === texasList.hit.url ? texasList.text : undefined) },
    });
    const doc = await h.services.orchestrator.run({
      text: 'dealer groups in Texas we could sell to',
      scope: 'cli',
      top: 30,
    });
    expect(h.tavily.queries).toEqual(
      expect.arrayContaining(['dealer groups in Texas', 'largest dealer groups Texas list']),
    );
    expect(h.tavily.extracts).toEqual([[texasList.hit.url]]);
    const names = doc.leads.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(dealers.slice(0, 16).map((c) => c.name)));
    const run = await h.services.orchestrator.getRun('cli', doc.runId);
    expect(run?.queries).toContain('dealer groups in Texas');
  });

  it('does not search again for a request without a place or segment, nor when the first pass found plenty', async () => {
    const plain = await startPipelineHarness({ engine: { results: sparse, page: () => undefined } });
    await plain.services.orchestrator.run({ text: 'find me potential customers', scope: 'cli' });
    expect(plain.tavily.queries).not.toContain('dealer groups in Texas');

    const plenty = await startPipelineHarness();
    await plenty.services.orchestrator.run({ text: 'dealer groups in Texas we could sell to', scope: 'cli' });
    expect(plenty.tavily.queries).not.toContain('dealer groups in Texas');
  });

  it('keeps the first pass when the follow-up searches find nothing new', async () => {
    const nothingMore = (query: string) =>
      /^(dealer groups in|largest dealer|texas dealer)/i.test(query) ? [] : sparse(query);
    const h = await startPipelineHarness({ engine: { results: nothingMore, page: () => undefined } });
    const doc = await h.services.orchestrator.run({ text: 'dealer groups in Texas we could sell to', scope: 'cli' });
    expect(doc.leads.map((l) => l.name).sort()).toEqual(
      dealers
        .slice(0, 4)
        .map((c) => c.name)
        .sort(),
    );
  });
});
