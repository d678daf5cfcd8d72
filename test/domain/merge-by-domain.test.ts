import { describe, expect, it } from 'vitest';
import { mergeEnrichedByDomain } from '../../src/domain/leads.js';
import { domainOf } from '../../src/domain/url.js';
import type { EnrichedCompany } from '../../src/domain/types.js';

function company(name: string, website: string | null): EnrichedCompany {
  const field = website ? { value: website, source: `${website}/about` } : null;
  return {
    name,
    key: name.toLowerCase(),
    website: field,
    headquarters: null,
    size: null,
    industry: null,
    description: null,
    sources: [`https://news.example.com/${name}`],
  };
}

describe('one lead per registrable domain', () => {
  it.each([
    ['https://foo.github.io/about', 'foo.github.io'],
    ['https://x.wixsite.com/motors', 'x.wixsite.com'],
    ['https://shop.myshopify.com', 'shop.myshopify.com'],
    ['https://www.dealers.example.co.uk/x', 'example.co.uk'],
    ['https://investors.lithia.com', 'lithia.com'],
  ])('reads %s as %s', (url, domain) => {
    expect(domainOf(url)).toBe(domain);
  });

  it('keeps companies on different sites of one hosting suffix apart, and merges one company on two hosts', () => {
    const merged = mergeEnrichedByDomain([
      company('Foo Motors', 'https://foo.github.io'),
      company('Bar Auto', 'https://bar.github.io'),
      company('Baz Cars', 'https://baz.wixsite.com/cars'),
      company('Qux Trucks', 'https://qux.wixsite.com/trucks'),
      company('AutoNation', 'https://www.autonation.com'),
      company('AutoNation USA', 'https://usa.autonation.com'),
      company('No Site Group', null),
    ]);
    expect(merged.map((c) => c.name)).toEqual([
      'Foo Motors',
      'Bar Auto',
      'Baz Cars',
      'Qux Trucks',
      'AutoNation',
      'No Site Group',
    ]);
    expect(merged.find((c) => c.name === 'AutoNation')?.sources).toEqual([
      'https://news.example.com/AutoNation',
      'https://news.example.com/AutoNation USA',
    ]);
  });
});
