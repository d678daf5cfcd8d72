// HubSpot writes whose answer is lost: a gateway 502 after the write, a connection dropped after the write, a 504
// whose write lands a moment later, a search index that lags a minute behind. The portal must end with one company
// per lead and one note per company per run, however often Send is pressed, and the summary must say what HubSpot
// holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHubspotClient } from '../../src/crm/hubspot-client.js';
import { HubspotError } from '../../src/crm/hubspot-http.js';
import type { Lead } from '../../src/domain/types.js';
import { startFakeHubspot, type FakeHubspot, type LostAnswer } from '../fakes/fake-hubspot.js';

const quiet = { warn: () => undefined, debug: () => undefined, info: () => undefined };

function lead(i: number, website: string | null = `https://dealer${i}.example`): Lead {
  return {
    rank: i,
    name: `Dealer Group ${i}`,
    website,
    headquarters: null,
    size: null,
    industry: null,
    fitScore: 90 - i,
    rationale: `Group ${i} bought stores.`,
    sources: [`https://news.example.com/${i}`],
  };
}

const TEN = Array.from({ length: 10 }, (_, i) => lead(i + 1));

function clientFor(hubspot: FakeHubspot) {
  return createHubspotClient({ token: hubspot.token, apiUrl: hubspot.url, logger: quiet, findDelayMs: 20 });
}

/** Companies per key value and notes per company, as the portal holds them. */
function portal(hubspot: FakeHubspot) {
  const perDomain = new Map<string, number>();
  for (const c of hubspot.companies) {
    const key = c.properties.leads_company_key ?? c.properties.domain ?? c.properties.name ?? '';
    perDomain.set(key, (perDomain.get(key) ?? 0) + 1);
  }
  const notesPer = new Map<string, number>();
  for (const n of hubspot.notes) for (const id of n.companyIds) notesPer.set(id, (notesPer.get(id) ?? 0) + 1);
  return { perDomain, notesPer };
}

describe('HubSpot writes whose answer is lost', () => {
  it.each<[string, LostAnswer]>([
    ['a 502 after the write', '502'],
    ['a connection dropped after the write', 'drop'],
    ['a 504 whose write lands 50 ms later', 'late'],
  ])('ends with 10 companies and 10 notes, not 20, after %s of the 10 companies', async (_label, how) => {
    const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    hubspot.failAfterWrite(how, { what: 'companies', lateMs: 50 });
    const outcome = await clientFor(hubspot).sendLeads({ leads: TEN, request: 'find customers', runId: 'run_lost1' });

    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    // What the thread is told is what HubSpot holds: 10 new companies, each with its record and note.
    expect(outcome.companies.map((c) => c.action)).toEqual(Array(10).fill('created'));
    expect(new Set(outcome.companies.map((c) => c.companyId))).toEqual(new Set(hubspot.companies.map((c) => c.id)));
    expect(outcome.notesAdded).toBe(10);
    expect(outcome.unconfirmed).toBeUndefined();
  });

  it.each<[string, LostAnswer]>([
    ['a 502 after the write', '502'],
    ['a connection dropped after the write', 'drop'],
    ['a 504 whose write lands 30 ms later', 'late'],
  ])('adds one note per company, not two, after %s of the notes', async (_label, how) => {
    const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    hubspot.failAfterWrite(how, { what: 'notes', lateMs: 30 });
    const outcome = await clientFor(hubspot).sendLeads({ leads: TEN, request: 'find customers', runId: 'run_lost2' });
    expect(hubspot.notes).toHaveLength(10);
    expect([...portal(hubspot).notesPer.values()]).toEqual(Array(10).fill(1));
    expect(outcome.notesAdded).toBe(10);
    expect(outcome.notesError).toBeUndefined();
  });

  it('adds no second note when Send is pressed again for the same list, and a new note for a new list', async () => {
    const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    const client = clientFor(hubspot);
    await client.sendLeads({ leads: TEN, request: 'r', runId: 'run_same' });
    const again = await client.sendLeads({ leads: TEN, request: 'r', runId: 'run_same' });
    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    expect(again.companies.every((c) => c.action === 'updated')).toBe(true);
    expect(again).toMatchObject({ notesAdded: 0, notesAlready: 10 });

    const next = await client.sendLeads({ leads: TEN, request: 'r', runId: 'run_next' });
    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(20);
    expect(next.notesAdded).toBe(10);
  });

  it('says which leads HubSpot did not confirm when it cannot be asked after losing an answer, and a later press completes them once', async () => {
    const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    const client = clientFor(hubspot);
    hubspot.failAfterWrite('502', { what: 'companies' });
    // The look-ups after the lost answer fail too (every retry of a read included).
    const seen = hubspot.requests.length;
    const pending = client.sendLeads({ leads: TEN, request: 'r', runId: 'run_unsure' });
    await until(() => hubspot.requests.some((r, i) => i >= seen && r.path.endsWith('/companies/batch/create')));
    hubspot.failNext(503, 30);
    const first = await pending;
    // Nothing was created twice, and nothing was claimed that HubSpot did not confirm.
    expect(hubspot.companies).toHaveLength(10);
    expect(first.companies).toHaveLength(0);
    expect(first.unconfirmed).toEqual(TEN.map((l) => l.name));
    expect(first.unconfirmedReason).toMatch(/server error \(503\)/);

    hubspot.failNext(503, 0);
    const second = await client.sendLeads({ leads: TEN, request: 'r', runId: 'run_unsure' });
    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    expect(second.companies).toHaveLength(10);
    expect(second.notesAdded).toBe(10);
  });

  it('retries a create HubSpot refused with 429 (nothing was written), and creates each company once', async () => {
    const hubspot = await startFakeHubspot();
    hubspot.rateLimit(1, 1, '/companies/batch/create');
    const outcome = await clientFor(hubspot).sendLeads({ leads: TEN, request: 'r', runId: 'run_429' });
    expect(hubspot.requests.filter((r) => r.path.endsWith('/companies/batch/create'))).toHaveLength(2);
    expect(outcome.companies).toHaveLength(10);
    expect(hubspot.companies).toHaveLength(10);
  });

  it('names the scope to add when the token may not create the key property', async () => {
    const hubspot = await startFakeHubspot({ noSchemaScope: true });
    const error = await clientFor(hubspot)
      .sendLeads({ leads: TEN, request: 'r', runId: 'run_scope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubspotError);
    expect((error as HubspotError).message).toMatch(/crm\.schemas\.companies\.write/);
    expect((error as HubspotError).message).toMatch(/leads_company_key/);
    expect(hubspot.companies).toHaveLength(0);
  });

  it('keeps one company per domain and one note per company and run over any mix of lost answers and presses (property)', async () => {
    const fault = fc.record({
      how: fc.constantFrom<LostAnswer>('502', 'drop', 'late'),
      what: fc.constantFrom<'companies' | 'notes' | 'any'>('companies', 'notes', 'any'),
      count: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fault, { nil: undefined }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7, 8], { minLength: 0, maxLength: 3 }),
        async (presses, size, seeded) => {
          const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
          try {
            // Some leads are companies a salesperson created long ago (found by domain), some have no website, and
            // two share one domain.
            for (const i of seeded) hubspot.seedCompany({ name: `Ours ${i}`, domain: `dealer${i}.example` });
            const leads = Array.from({ length: size }, (_, i) => lead(i + 1, i % 5 === 4 ? null : undefined));
            if (size > 2) leads.push({ ...lead(99), website: `https://www.dealer1.example/about` });
            const client = clientFor(hubspot);
            for (const press of presses) {
              if (press) hubspot.failAfterWrite(press.how, { what: press.what, count: press.count, lateMs: 30 });
              await client.sendLeads({ leads, request: 'r', runId: 'run_prop' }).catch(() => undefined);
            }
            // Whatever happened before, one clean press leaves the portal complete, and says so.
            hubspot.failAfterWrite('502', { count: 0 });
            await new Promise((r) => setTimeout(r, 60));
            const final = await client.sendLeads({ leads, request: 'r', runId: 'run_prop' });
            const { perDomain, notesPer } = portal(hubspot);
            expect([...perDomain.values()].every((n) => n === 1)).toBe(true);
            const keys = new Set([
              ...leads.map((l) => (l.website ? new URL(l.website).hostname.replace(/^www\./, '') : l.name)),
              ...seeded.map((i) => `dealer${i}.example`),
            ]);
            expect(hubspot.companies).toHaveLength(keys.size);
            expect([...notesPer.values()].every((n) => n === 1)).toBe(true);
            expect(final.companies).toHaveLength(leads.length);
            expect(final.unconfirmed).toBeUndefined();
            expect(final.notesError).toBeUndefined();
          } finally {
            await hubspot.close();
          }
        },
      ),
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? 20261125) },
    );
  }, 60_000);
});

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
