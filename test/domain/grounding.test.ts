import { describe, expect, it } from 'vitest';
import { buildExclusionList, cleanValue, companyKey, domainMatchesName } from '../../src/domain/grounding.js';
import { groundCandidates } from '../../src/agents/research.js';
import { verifyFact } from '../../src/agents/verify-facts.js';
import { classifyObviousIntent } from '../../src/agents/intent.js';
import { loadCompanyProfile } from '../../src/profile/company-profile.js';
import type { SearchResult } from '../../src/search/types.js';

const profile = loadCompanyProfile('data/axlewave_context/company_context.json');
const result = (url: string, title: string, snippet: string): SearchResult => ({
  url,
  title,
  snippet,
  provider: 'tavily',
});

describe('entity resolution', () => {
  it('gives "AutoNation, Inc.", "AutoNation" and "The AutoNation Inc" one key', () => {
    expect(companyKey('AutoNation, Inc.')).toBe('autonation');
    expect(companyKey('AutoNation')).toBe('autonation');
    expect(companyKey('The AutoNation Inc')).toBe('autonation');
    expect(companyKey('Penske Automotive Group')).toBe('penske automotive group');
  });

  it('recognises a company domain from its name', () => {
    expect(domainMatchesName('autonation.com', companyKey('AutoNation, Inc.'))).toBe(true);
    expect(domainMatchesName('harborauto.com', companyKey('Harbor Auto Holdings'))).toBe(true);
    expect(domainMatchesName('news.com', companyKey('Harbor Auto Holdings'))).toBe(false);
  });

  it('merges name variants and a shared domain into one candidate with pooled sources', () => {
    const results = [
      result('https://autonation.com/about', 'AutoNation, Inc. | About', 'AutoNation, Inc. runs 300 stores.'),
      result(
        'https://news.example.com/a',
        'Dealer news',
        'AutoNation bought two stores. AutoNation USA opened a new store.',
      ),
      result('https://www.autonation.com/usa', 'AutoNation USA', 'AutoNation USA expands its pre-owned stores.'),
    ];
    const candidates = groundCandidates(
      ['AutoNation, Inc.', 'AutoNation', 'AutoNation USA'],
      results,
      buildExclusionList(profile, 'find customers'),
    );
    const autonation = candidates.filter((c) => c.key.startsWith('autonation'));
    expect(autonation).toHaveLength(1);
    expect(autonation[0]?.name).toBe('AutoNation');
    expect(autonation[0]?.sources).toEqual(
      expect.arrayContaining([
        'https://autonation.com/about',
        'https://news.example.com/a',
        'https://www.autonation.com/usa',
      ]),
    );
  });

  it('drops a name that no result contains', () => {
    const results = [result('https://a.example.com', 'Dealer groups', 'Lithia Motors and Asbury Automotive grew.')];
    const names = groundCandidates(
      ['Lithia Motors', 'Imaginary Auto Group'],
      results,
      buildExclusionList(profile, 'x'),
    ).map((c) => c.name);
    expect(names).toEqual(['Lithia Motors']);
  });
});

describe('exclusions', () => {
  const exclusions = buildExclusionList(profile, 'find me customers');
  it('never lets AxleWave or a listed competitor through, by name, alias or domain', () => {
    for (const name of [
      'AxleWave',
      'AxleWave Inc.',
      'CDK Global',
      'CDK Global DMS',
      'Reynolds & Reynolds',
      'Tekion Corp',
      'Dealertrack',
      'DealerBuilt',
      'Quorum Information Technologies',
      'PBS Systems',
    ]) {
      expect(exclusions.isExcluded({ key: companyKey(name), domain: null }), name).toBe(true);
    }
    expect(exclusions.isExcluded({ key: 'cdk', domain: 'cdkglobal.com' })).toBe(true);
    expect(exclusions.isExcluded({ key: 'something', domain: 'www.tekion.com'.replace('www.', '') })).toBe(true);
  });
  it('keeps dealers whose names merely contain a competitor word', () => {
    expect(exclusions.isExcluded({ key: companyKey('Reynolds Ford of Norman'), domain: null })).toBe(false);
    expect(exclusions.isExcluded({ key: companyKey('Quorum Auto Group'), domain: null })).toBe(false);
  });
  it('lets a competitor through when the request names it', () => {
    expect(buildExclusionList(profile, 'partners like Tekion').isExcluded({ key: 'tekion', domain: null })).toBe(false);
  });
});

describe('facts', () => {
  it('turns "N/A", "Unknown" and "-" into null', () => {
    for (const value of ['N/A', 'n/a', 'Unknown', '-', '—', '', '  ', 'Not specified', 'none'])
      expect(cleanValue(value)).toBeNull();
    expect(cleanValue(' Dallas,  Texas ')).toBe('Dallas, Texas');
  });

  const sources = new Map([
    [
      1,
      {
        url: 'https://www.harborauto.com/about',
        title: 'About Harbor Auto Holdings',
        text: 'Harbor Auto Holdings is headquartered in Dallas, Texas and runs 1,250 employees across 32 rooftops.',
      },
    ],
    [2, { url: 'https://news.example.com/x', title: 'News', text: 'Dealer groups keep buying stores.' }],
  ]);
  const key = companyKey('Harbor Auto Holdings');
  it('keeps a fact its cited source states', () => {
    expect(verifyFact('headquarters', { value: 'Dallas, Texas', source: 1 }, sources, key)).toEqual({
      value: 'Dallas, Texas',
      source: 'https://www.harborauto.com/about',
    });
    expect(verifyFact('size', { value: '1,250 employees', source: 1 }, sources, key)?.value).toBe('1,250 employees');
    expect(verifyFact('website', { value: 'www.harborauto.com/', source: 1 }, sources, key)).toEqual({
      value: 'https://harborauto.com',
      source: 'https://www.harborauto.com/about',
    });
  });
  it('drops a fact the cited source does not state, or a source that does not exist', () => {
    expect(verifyFact('headquarters', { value: 'Miami, Florida', source: 1 }, sources, key)).toBeNull();
    expect(verifyFact('headquarters', { value: 'Dallas, Texas', source: 2 }, sources, key)).toBeNull();
    expect(verifyFact('headquarters', { value: 'Dallas, Texas', source: 9 }, sources, key)).toBeNull();
    expect(verifyFact('size', { value: '5,000 employees', source: 1 }, sources, key)).toBeNull();
    expect(verifyFact('size', { value: 'Large', source: 1 }, sources, key)).toBeNull();
    expect(verifyFact('website', { value: 'https://linkedin.com/company/harbor', source: 1 }, sources, key)).toBeNull();
    expect(verifyFact('website', { value: 'https://harbor-fake.com', source: 2 }, sources, key)).toBeNull();
  });
});

describe('obvious intents', () => {
  it.each([
    ['find customers', 'customer'],
    ['find me potential customers', 'customer'],
    ['Find me some new clients please', 'customer'],
    ['find partners', 'partner'],
    ['find both', 'both'],
    ['customers and partners', 'both'],
  ])('reads "%s" as %s without the model', (text, intent) => {
    expect(classifyObviousIntent(text)?.intent).toBe(intent);
  });
  it('reads a count', () => {
    expect(classifyObviousIntent('top 5 partners')).toEqual({
      intent: 'partner',
      confidence: 0.95,
      constraints: { count: 5 },
    });
  });
  it('leaves free text to the model', () => {
    expect(classifyObviousIntent('dealer groups in Texas we could sell to')).toBeNull();
    expect(classifyObviousIntent('customers in Canada')).toBeNull();
    expect(classifyObviousIntent('')).toBeNull();
  });
});
