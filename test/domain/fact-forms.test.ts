import { describe, expect, it } from 'vitest';
import { statesPlace, statesQuantity } from '../../src/domain/fact-forms.js';
import { verifyFact } from '../../src/agents/verify-facts.js';
import { companyKey } from '../../src/domain/grounding.js';

describe('places however the page writes them', () => {
  it.each([
    ['Duluth, Georgia', 'HQ: Duluth, GA'],
    ['Duluth, GA', 'The group is headquartered in Duluth, Ga., and runs 40 stores.'],
    ['Duluth, GA', 'A family business based out of Duluth since 1975.'],
    ['Fort Lauderdale, Florida', 'Based in Ft. Lauderdale, FL'],
    ['Ft. Lauderdale', 'Fort Lauderdale, Florida'],
    ['Saint Louis, Missouri', 'St. Louis, MO dealer group'],
    ['Toronto, Ontario', 'Head office: Toronto, Ont.'],
    ['Calgary, AB', 'Calgary, Alberta-based dealer group'],
  ])('keeps %s stated as "%s"', (proposed, page) => {
    expect(statesPlace(proposed, page)).toBe(true);
  });

  it.each([
    ['Duluth, Minnesota', 'HQ: Duluth, GA'],
    ['Miami, Florida', 'Based in Fort Lauderdale, Florida'],
    ['Dallas, Texas', 'Houston, TX'],
  ])('drops %s when the page says "%s"', (proposed, page) => {
    expect(statesPlace(proposed, page)).toBe(false);
  });

  it('reads state words elsewhere as words, not places ("in", "me", "or")', () => {
    expect(statesPlace('Portland, Oregon', 'Portland, Maine or Portland in Oregon')).toBe(true);
  });
});

describe('sizes however the page writes them', () => {
  it.each([
    ['200 dealerships', '200+ dealerships across the US'],
    ['200+ stores', 'more than 200 stores'],
    ['more than 200 stores', 'over 200 locations'],
    ['1,200 employees', 'about 1.2k employees'],
    ['1.2k employees', '1,200 employees'],
    ['2 million customers', '2,000,000 customers'],
  ])('keeps %s stated as "%s"', (proposed, page) => {
    expect(statesQuantity(proposed, page)).toBe(true);
  });

  it.each([
    ['20 rooftops', '200 rooftops'],
    ['200 employees', '200 dealerships'],
    ['5,000 employees', '1,250 employees across 32 rooftops'],
    ['large', '200 stores'],
  ])('drops %s when the page says "%s"', (proposed, page) => {
    expect(statesQuantity(proposed, page)).toBe(false);
  });
});

describe('verifyFact with the phrasings above', () => {
  const sources = new Map([
    [
      1,
      {
        url: 'https://www.summitauto.com/about',
        title: 'About Summit',
        text: 'HQ: Duluth, GA. Summit runs 200+ dealerships and 1.2k employees.',
      },
    ],
  ]);
  const key = companyKey('Summit Automotive Group');
  it('keeps true facts phrased differently and drops false ones', () => {
    expect(verifyFact('headquarters', { value: 'Duluth, Georgia', source: 1 }, sources, key)?.value).toBe(
      'Duluth, Georgia',
    );
    expect(verifyFact('size', { value: '1,200 employees', source: 1 }, sources, key)?.value).toBe('1,200 employees');
    expect(verifyFact('size', { value: 'more than 200 stores', source: 1 }, sources, key)?.value).toBe(
      'more than 200 stores',
    );
    expect(verifyFact('headquarters', { value: 'Duluth, Minnesota', source: 1 }, sources, key)).toBeNull();
    expect(verifyFact('size', { value: '2,000 employees', source: 1 }, sources, key)).toBeNull();
  });
});
