import { describe, expect, it } from 'vitest';
import { verifyFact } from '../../src/agents/verify-facts.js';
import { companyKey } from '../../src/domain/grounding.js';

// A page states a fact about one company; citing it for a neighbour on the same page must not ground the fact.
const page = (url: string, title: string, text: string) => new Map([[1, { url, title, text }]]);
const hq = (value: string, name: string, sources: ReturnType<typeof page>) =>
  verifyFact('headquarters', { value, source: 1 }, sources, companyKey(name))?.value ?? null;
const size = (value: string, name: string, sources: ReturnType<typeof page>) =>
  verifyFact('size', { value, source: 1 }, sources, companyKey(name))?.value ?? null;
const industry = (value: string, name: string, sources: ReturnType<typeof page>) =>
  verifyFact('industry', { value, source: 1 }, sources, companyKey(name))?.value ?? null;

describe('facts count only where the page states them about the company', () => {
  it('a directory profile grounds its company, not the "similar companies" it lists', () => {
    const profile = page(
      'https://autoretaildirectory.com/company/lone-star-motor-company',
      'Lone Star Motor Company',
      'Lone Star Motor Company · HQ: Fort Worth, TX · more than 27 stores · Franchised new-vehicle dealer group. Similar companies: Telemetrix Auto, PayLane Payments.',
    );
    expect(hq('Fort Worth, Texas', 'Lone Star Motor Company', profile)).toBe('Fort Worth, Texas');
    expect(industry('Franchised new-vehicle dealer group', 'Lone Star Motor Company', profile)).toBe(
      'Franchised new-vehicle dealer group',
    );
    expect(hq('Fort Worth, Texas', 'PayLane Payments', profile)).toBeNull();
    expect(industry('Franchised new-vehicle dealer group', 'Telemetrix Auto', profile)).toBeNull();
  });

  it('the directory site is not the company its profile describes', () => {
    const profile = page(
      'https://autoretaildirectory.com/company/northgate-auto-finance',
      'AutoRetail Directory',
      'Northgate Auto Finance · HQ: Charlotte, NC · over 1,200 people · Auto lending. Similar companies: ShieldPoint F&I, CreditBridge Lending.',
    );
    expect(hq('Charlotte, NC', 'Northgate Auto Finance', profile)).toBe('Charlotte, NC');
    expect(size('1,200 employees', 'Northgate Auto Finance', profile)).toBe('1,200 employees');
    expect(hq('Charlotte, NC', 'AutoRetail Directory', profile)).toBeNull();
    expect(size('1,200 employees', 'AutoRetail Directory', profile)).toBeNull();
    expect(industry('Auto lending', 'AutoRetail Directory', profile)).toBeNull();
  });

  it('a news item grounds "the company" for the group it just named, not the one it moves on to', () => {
    const news = page(
      'https://www.dealerwiredaily.com/news/premier-motors-43',
      'Premier Motors',
      'Premier Motors Inc., the Tampa, Florida-based group, added a Nissan store in Clearwater. The company now operates 7 rooftops. Dealers cited staffing as the main pressure. Gateway Automotive Group is consolidating accounting across 19 rooftops.',
    );
    expect(size('7 rooftops', 'Premier Motors', news)).toBe('7 rooftops');
    expect(hq('Tampa, Florida', 'Premier Motors', news)).toBe('Tampa, Florida');
    expect(size('7 rooftops', 'Gateway Automotive Group', news)).toBeNull();
    expect(size('19 rooftops', 'Premier Motors', news)).toBeNull();
    expect(size('19 rooftops', 'Gateway Automotive Group', news)).toBe('19 rooftops');
  });

  it("a press release grounds each company in its own sentence; the dateline is nobody's headquarters", () => {
    const release = page(
      'https://www.prnewswire-example.com/palmetto-motor-group-heartland-truck-centers',
      'Palmetto Motor Group and Heartland Truck Centers announce partnership',
      'MOUNT PLEASANT, S.C. -- Palmetto Motor Group and Heartland Truck Centers today announced a partnership. Heartland Truck Centers is a commercial truck dealer group expanding into Iowa.',
    );
    expect(industry('Commercial truck dealer group', 'Heartland Truck Centers', release)).toBe(
      'Commercial truck dealer group',
    );
    expect(industry('Commercial truck dealer group', 'Palmetto Motor Group', release)).toBeNull();
    expect(hq('Mount Pleasant, SC', 'Palmetto Motor Group', release)).toBeNull();
    expect(hq('Mount Pleasant, SC', 'Heartland Truck Centers', release)).toBeNull();
  });

  it('a page names a company by its short name ("Palmetto Motors", "Bluewater Automotive")', () => {
    const news = page(
      'https://news.example.com/x',
      'Dealer news',
      'Bluewater Automotive, the Halifax, Nova Scotia-based group, added Hyundai and Kia stores. The company now operates 11 franchised dealerships.',
    );
    expect(hq('Halifax, NS', 'Bluewater Auto Group', news)).toBe('Halifax, NS');
    expect(size('11 rooftops', 'Bluewater Auto Group', news)).toBe('11 rooftops');
  });
});
