import { describe, expect, it } from 'vitest';
import { buildExclusionList } from '../../src/domain/grounding.js';
import { selectLeads, type LeadSelectionInput } from '../../src/domain/select-leads.js';
import { NoLeadsError, type Candidate, type EnrichedCompany } from '../../src/domain/types.js';
import { loadCompanyProfile } from '../../src/profile/company-profile.js';

const profile = loadCompanyProfile('data/axlewave_context/company_context.json');

function company(name: string, website?: string): { candidate: Candidate; enriched: EnrichedCompany } {
  const key = name.toLowerCase();
  const sources = [`https://news.example.com/${key.replace(/ /g, '-')}`];
  return {
    candidate: { name, key, domain: null, sources, evidence: [] },
    enriched: {
      name,
      key,
      website: website ? { value: website, source: sources[0]! } : null,
      headquarters: null,
      size: null,
      industry: null,
      description: null,
      sources,
    },
  };
}

function input(names: [string, string?][], scores: [string, number, string, string?][], top = 10): LeadSelectionInput {
  const companies = names.map(([name, site]) => company(name, site));
  return {
    runId: 'run_1',
    candidates: companies.map((c) => c.candidate),
    companies: companies.map((c) => c.enriched),
    scores: scores.map(([name, fitScore, rationale, pass]) => ({
      key: name.toLowerCase(),
      fitScore,
      rationale,
      pass: pass ?? 'p1',
    })),
    pass: 'p1',
    unscored: new Set(),
    returnedUrls: new Set(companies.flatMap((c) => c.enriched.sources)),
    exclusions: buildExclusionList(profile, 'find customers'),
    top,
    research: { namesFound: names.length, notInResults: 0, excluded: 0 },
    companyName: 'AxleWave',
  };
}

describe('selecting the leads a front end may show', () => {
  it('ranks 1..N by explained score only, ignoring blank reasons and scores of another pass', () => {
    const { leads } = selectLeads(
      input(
        [['Alpha Motors'], ['Beta Auto'], ['Gamma Group'], ['Delta Cars']],
        [
          ['Alpha Motors', 60, 'Fits.'],
          ['Beta Auto', 90, '  '],
          ['Gamma Group', 95, 'Old reason.', 'p0'],
          ['Delta Cars', 80, 'Grows.'],
        ],
      ),
    );
    expect(leads.map((l) => [l.rank, l.name, l.fitScore])).toEqual([
      [1, 'Delta Cars', 80],
      [2, 'Alpha Motors', 60],
    ]);
  });

  it('keeps one lead per registrable domain and never a competitor, a name not in the results or an unsourced one', () => {
    const base = input(
      [
        ['Alpha Motors', 'https://alpha.github.io'],
        ['Alpha Used', 'https://alpha.github.io/used'],
        ['Beta Auto', 'https://beta.github.io'],
        ['CDK Global'],
        ['Echo Auto'],
      ],
      [
        ['Alpha Motors', 90, 'A.'],
        ['Alpha Used', 85, 'A2.'],
        ['Beta Auto', 80, 'B.'],
        ['CDK Global', 99, 'C.'],
        ['Echo Auto', 70, 'E.'],
        ['Ghost Group', 99, 'G.'],
      ],
    );
    const { leads } = selectLeads({
      ...base,
      returnedUrls: new Set([...base.returnedUrls].filter((u) => !u.includes('echo'))),
    });
    expect(leads.map((l) => l.name)).toEqual(['Alpha Motors', 'Beta Auto']);
  });

  it('warns when fewer than five leads qualify or fewer than asked', () => {
    const { warnings } = selectLeads(input([['Alpha Motors']], [['Alpha Motors', 70, 'Fits.']]));
    expect(warnings).toEqual([
      'Low-quality result: only 1 lead qualified (fewer than 5).',
      'Showing 1 of the 10 leads asked for.',
    ]);
  });

  it('fails with the numbers when no company qualifies', () => {
    const base = input([['CDK Global'], ['Alpha Motors']], [['CDK Global', 99, 'C.']]);
    const error = (() => {
      try {
        selectLeads({
          ...base,
          unscored: new Set(['alpha motors']),
          research: { namesFound: 28, notInResults: 9, excluded: 6 },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoLeadsError);
    expect((error as Error).message).toMatch(
      /^No leads: 28 names found; 9 not in the results, 7 competitors or AxleWave, 1 without a usable score from the model\. /,
    );
  });
});
