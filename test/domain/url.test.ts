import { describe, expect, it } from 'vitest';
import { domainOf, isHttpUrl, normaliseUrl } from '../../src/domain/url.js';

describe('normaliseUrl', () => {
  it.each([
    ['https://WWW.AutoNation.com/', 'https://www.autonation.com'],
    ['https://autonation.com/about/?utm_source=x&utm_medium=y&id=3#team', 'https://autonation.com/about/?id=3'],
    ['http://example.com/p?gclid=1&fbclid=2&ref=home', 'http://example.com/p'],
    ['https://example.com:443/', 'https://example.com'],
    ['autonation.com', 'https://autonation.com'],
    ['  https://example.com/a  ', 'https://example.com/a'],
    ['mailto:sales@example.com', 'mailto:sales@example.com'],
    ['not a url', 'not a url'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normaliseUrl(input)).toBe(expected);
  });
});

describe('domainOf', () => {
  it.each([
    ['https://www.autonation.com/about', 'autonation.com'],
    ['https://investors.lithia.com', 'lithia.com'],
    ['https://www.dealers.example.co.uk/x', 'example.co.uk'],
    ['dilawri.ca', 'dilawri.ca'],
    ['http://127.0.0.1:8080/x', '127.0.0.1'],
  ])('finds the domain of %s: %s', (input, expected) => {
    expect(domainOf(input)).toBe(expected);
  });

  it('returns undefined for something that is not a web address', () => {
    expect(domainOf('N/A')).toBeUndefined();
  });
});

describe('isHttpUrl', () => {
  it('accepts http and https URLs only', () => {
    expect([
      isHttpUrl('https://a.com'),
      isHttpUrl('http://a.com/x'),
      isHttpUrl('ftp://a.com'),
      isHttpUrl('/about'),
      isHttpUrl(3),
    ]).toEqual([true, true, false, false, false]);
  });
});
