import { describe, expect, it } from 'vitest';
import {
  identityOf,
  partitionHidden,
  teamContextFrom,
  type FeedbackEntry,
  type FeedbackKind,
} from '../../src/domain/feedback.js';

let n = 0;
function mark(
  kind: FeedbackKind,
  name: string,
  website: string | null,
  at: string,
  over: Partial<FeedbackEntry> = {},
): FeedbackEntry {
  n += 1;
  return {
    id: `fb_${n}`,
    scope: 'T1',
    kind,
    company: identityOf({ name, website }),
    facts: 'Dealer group · 8 rooftops · Dallas, Texas',
    runId: 'run_1',
    channelId: 'C1',
    userId: 'U1',
    at,
    ...over,
  };
}

describe('team feedback rules', () => {
  it('hides "Already a customer" and "Not a fit" companies by registrable domain, whatever subdomain or path the site uses', () => {
    const team = teamContextFrom([
      mark('already_customer', 'Harbor Auto', 'https://www.harborauto.com/about', '2026-01-02T00:00:00Z'),
      mark('not_a_fit', 'Lone Star Motors', 'https://lonestarmotors.com', '2026-01-03T00:00:00Z'),
      mark('good_fit', 'Summit Auto', 'https://summitauto.com', '2026-01-04T00:00:00Z'),
      mark('wrong_info', 'Bayview Motors', 'https://bayviewmotors.com', '2026-01-05T00:00:00Z'),
    ]);
    const leads = [
      { name: 'Harbor Auto Holdings', website: 'https://shop.harborauto.com/new' },
      { name: 'Lone Star Motor Group', website: 'http://LoneStarMotors.com/' },
      { name: 'Summit Auto Group', website: 'https://summitauto.com' },
      { name: 'Bayview Motors', website: 'https://bayviewmotors.com' },
    ];
    const { kept, hidden } = partitionHidden(leads, identityOf, team.hidden);
    expect(kept.map((l) => l.name)).toEqual(['Summit Auto Group', 'Bayview Motors']);
    expect(hidden.map((h) => [h.name, h.kind])).toEqual([
      ['Harbor Auto Holdings', 'already_customer'],
      ['Lone Star Motor Group', 'not_a_fit'],
    ]);
  });

  it('matches a company without a website by its name, legal suffixes aside', () => {
    const team = teamContextFrom([mark('not_a_fit', 'Granite Motors, Inc.', null, '2026-01-02T00:00:00Z')]);
    const { kept } = partitionHidden(
      [
        { name: 'Granite Motors', website: null },
        { name: 'Granite Motor Group', website: null },
      ],
      identityOf,
      team.hidden,
    );
    expect(kept.map((l) => l.name)).toEqual(['Granite Motor Group']);
  });

  it('lets the latest mark on a company count, so marking it "Good fit" again brings it back', () => {
    const team = teamContextFrom([
      mark('not_a_fit', 'Harbor Auto', 'https://harborauto.com', '2026-01-02T00:00:00Z'),
      mark('good_fit', 'Harbor Auto', 'https://harborauto.com', '2026-01-09T00:00:00Z', {
        reason: 'They just bought 4 stores',
      }),
    ]);
    expect(team.hidden).toEqual([]);
    expect(team.preferences).toEqual([
      {
        verdict: 'good_fit',
        name: 'Harbor Auto',
        facts: 'Dealer group · 8 rooftops · Dallas, Texas',
        reason: 'They just bought 4 stores',
      },
    ]);
  });

  it('passes on the 20 latest "Good fit" and "Not a fit" judgements, newest first, and no other kind of mark', () => {
    const entries = Array.from({ length: 30 }, (_, i) =>
      mark(
        i % 3 === 0 ? 'already_customer' : i % 2 === 0 ? 'good_fit' : 'not_a_fit',
        `Company ${i}`,
        `https://company${i}.com`,
        `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
      ),
    );
    const team = teamContextFrom(entries);
    expect(team.preferences).toHaveLength(20);
    expect(team.preferences[0]!.name).toBe('Company 29');
    expect(team.preferences.every((p) => p.verdict === 'good_fit' || p.verdict === 'not_a_fit')).toBe(true);
    expect(team.hidden.filter((h) => h.kind === 'already_customer')).toHaveLength(10);
  });
});
