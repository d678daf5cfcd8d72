import { z } from 'zod';
import { chunk } from '../domain/collections.js';
import type { Lead } from '../domain/types.js';
import { createOnce } from './create-once.js';
import { HubspotError, type HubspotRequest } from './hubspot-http.js';
import { leadNoteBody } from './note-body.js';

/** HubSpot's default association type from a note to a company. */
const NOTE_TO_COMPANY = 190;
const BATCH_LIMIT = 100;

const createdSchema = z.object({ results: z.array(z.object({ id: z.string() })) });
const associationsSchema = z.object({
  results: z.array(
    z.object({ from: z.object({ id: z.coerce.string() }), to: z.array(z.object({ toObjectId: z.coerce.string() })) }),
  ),
});
const notesSchema = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) })),
});

/** A lead and the HubSpot company its note goes on. */
export interface NoteTarget {
  lead: Lead;
  companyId: string;
  /** The company existed before this send, so an earlier send of the run may have noted it already. */
  existed: boolean;
}

export interface NotesOutcome {
  /** Notes this send added. */
  added: number;
  /** Companies that had this run's note already (Send pressed again). */
  already: number;
  /** Notes HubSpot may or may not hold: a create went unanswered and HubSpot could not be asked since. */
  unconfirmed: number;
  error?: unknown;
}

/** The words every note of a run carries (note-body.ts writes them), by which a later send recognises it. */
export function runMarker(runId: string): string {
  return `(run ${runId})`;
}

/**
 * One note per company per run, however often Send is pressed: companies that existed before this send are checked
 * for the run's note first (an association read, which does not lag like search), and a create whose answer is lost
 * is looked up the same way before anything is written again (create-once.ts).
 */
export async function addRunNotes(
  request: HubspotRequest,
  targets: readonly NoteTarget[],
  input: { request: string; runId: string; at: Date; signal?: AbortSignal; findDelayMs?: number },
): Promise<NotesOutcome> {
  const { signal, runId } = input;
  const byCompany = new Map<string, NoteTarget>();
  for (const target of targets) if (!byCompany.has(target.companyId)) byCompany.set(target.companyId, target);
  const existed = [...byCompany.values()].filter((t) => t.existed).map((t) => t.companyId);
  const noted = existed.length > 0 ? await companiesWithRunNote(request, existed, runId, signal) : new Set<string>();
  const wanted = [...byCompany.keys()].filter((id) => !noted.has(id));
  const outcome: NotesOutcome = { added: 0, already: noted.size, unconfirmed: 0 };
  for (const batch of chunk(wanted, BATCH_LIMIT)) {
    const result = await createOnce<string, true>(
      batch,
      {
        async create(companyIds) {
          const inputs = companyIds.map((id) => noteInput(byCompany.get(id)!.lead, id, input));
          const answer = createdSchema.parse(
            await request('POST', '/crm/v3/objects/notes/batch/create', { inputs }, signal, 'create'),
          );
          // A complete answer holds one note per input; anything less is looked up rather than assumed.
          return new Map(answer.results.length >= companyIds.length ? companyIds.map((id) => [id, true]) : []);
        },
        async find(companyIds) {
          const found = await companiesWithRunNote(request, companyIds, runId, signal);
          return new Map([...found].map((id) => [id, true]));
        },
        outcomeUnknown: (failure) => failure instanceof HubspotError && failure.outcomeUnknown,
      },
      // Notes have no unique key for HubSpot to enforce, so a write in flight gets a few looks before a second one.
      { signal, finds: 3, findDelayMs: input.findDelayMs ?? 1000 },
    );
    outcome.added += result.created.size + result.found.size;
    outcome.unconfirmed += result.unconfirmed.length;
    outcome.error ??= result.error;
  }
  return outcome;
}

function noteInput(lead: Lead, companyId: string, context: { request: string; runId: string; at: Date }) {
  return {
    properties: { hs_timestamp: context.at.toISOString(), hs_note_body: leadNoteBody(lead, context) },
    associations: [
      {
        to: { id: companyId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_COMPANY }],
      },
    ],
  };
}

/** Which of these companies have a note of this run: their notes (by association), then those notes' bodies. */
async function companiesWithRunNote(
  request: HubspotRequest,
  companyIds: readonly string[],
  runId: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const companyOfNote = new Map<string, string>();
  for (const batch of chunk(companyIds, BATCH_LIMIT)) {
    // Companies without notes are missing from the answer (HubSpot says 207); the first page of each is enough,
    // as a run's note is among a company's newest.
    const answer = associationsSchema.parse(
      await request(
        'POST',
        '/crm/v4/associations/companies/notes/batch/read',
        { inputs: batch.map((id) => ({ id })) },
        signal,
      ),
    );
    for (const entry of answer.results) for (const to of entry.to) companyOfNote.set(to.toObjectId, entry.from.id);
  }
  const marker = runMarker(runId);
  const noted = new Set<string>();
  for (const batch of chunk([...companyOfNote.keys()], BATCH_LIMIT)) {
    const answer = notesSchema.parse(
      await request(
        'POST',
        '/crm/v3/objects/notes/batch/read',
        { inputs: batch.map((id) => ({ id })), properties: ['hs_note_body'] },
        signal,
      ),
    );
    for (const note of answer.results) {
      const company = companyOfNote.get(note.id);
      if (company && (note.properties.hs_note_body ?? '').includes(marker)) noted.add(company);
    }
  }
  return noted;
}
