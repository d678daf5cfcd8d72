// The invariants every shown result must hold, whatever the model did, checked from what the fakes really served
// and what the fake model really wrote (not from the pipeline's own bookkeeping).
import { expect } from 'vitest';
import { statesPlace, statesQuantity } from '../../src/domain/fact-forms.js';
import { domainOf } from '../../src/domain/url.js';
import { NoLeadsError, RunFailedError, type LeadsDocument } from '../../src/domain/types.js';
import type { ModelLog } from '../fakes/misbehaving-model.js';
import type { FakeWorld } from '../fakes/fake-world.js';

export interface InvariantContext {
  world: FakeWorld;
  log: ModelLog;
  /** URLs the fake search engine served in this run. */
  served: ReadonlySet<string>;
  top: number;
}

/** Asserts every ranking invariant on a shown result. */
export function expectRankingInvariants(doc: LeadsDocument, ctx: InvariantContext): void {
  const { leads } = doc;
  expect(leads.length).toBeGreaterThan(0);
  expect(leads.length).toBeLessThanOrEqual(ctx.top);
  expect(leads.map((l) => l.rank)).toEqual(leads.map((_, i) => i + 1));
  leads.forEach((lead, i) => {
    if (i > 0) expect(lead.fitScore, 'ranked by score').toBeLessThanOrEqual(leads[i - 1]!.fitScore);
  });
  const domains = leads.map((l) => (l.website ? domainOf(l.website) : undefined)).filter(Boolean);
  expect(new Set(domains).size, 'one lead per domain').toBe(domains.length);
  expect(new Set(leads.map((l) => l.name)).size).toBe(leads.length);
  for (const lead of leads) {
    // A reason and a score written together, for this company, by the explain pass; never a screen score.
    expect(lead.rationale.trim(), lead.name).not.toBe('');
    const written = ctx.log.explanations.filter(
      (e) => e.company === lead.name && e.rationale === lead.rationale && e.fitScore === lead.fitScore,
    );
    expect(written.length, `${lead.name}: score and reason written for it`).toBeGreaterThan(0);
    expect(
      written.every((e) => !e.aboutOther),
      `${lead.name}: reason about another company`,
    ).toBe(true);
    // A real company of the fake web, not a competitor, AxleWave or an invented name.
    const company = ctx.world.find(lead.name);
    expect(company, `${lead.name} is a company of the web`).toBeDefined();
    expect(['customer', 'partner'], lead.name).toContain(company!.kind);
    // Sources search returned; facts true of this company.
    expect(lead.sources.length).toBeGreaterThan(0);
    for (const source of lead.sources) expect(ctx.served.has(source), `${lead.name}: ${source} was served`).toBe(true);
    if (lead.headquarters)
      expect(statesPlace(lead.headquarters, company!.facts.hq?.[0] ?? ''), `${lead.name} HQ ${lead.headquarters}`).toBe(
        true,
      );
    if (lead.size)
      expect(statesQuantity(lead.size, company!.facts.size?.[0] ?? ''), `${lead.name} size ${lead.size}`).toBe(true);
    if (lead.website) expect(domainOf(lead.website), lead.name).toBe(company!.domain);
  }
  if (leads.length < ctx.top) expect(doc.stats.warnings.length, 'fewer than asked is said').toBeGreaterThan(0);
  if (leads.length < 5) expect(doc.stats.warnings.join(' ')).toMatch(/Low-quality result/);
}

/** A run that did not show leads failed in plain words: "no leads" with the numbers, or the model's breakdown. */
export function expectClearFailure(error: unknown): void {
  expect(error).toBeInstanceOf(RunFailedError);
  const message = (error as Error).message;
  if (error instanceof NoLeadsError) expect(message).toMatch(/^No leads: \d+ names? found/);
  else expect(message).toMatch(/did not return a valid|language model|timed out/i);
}
