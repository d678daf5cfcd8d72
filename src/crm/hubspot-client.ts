import { z } from 'zod';
import type { Lead } from '../domain/types.js';
import type { Logger } from '../logger.js';
import type { DocumentLock } from '../store/document-lock.js';
import { ensureKeyProperty, upsertCompanies } from './hubspot-companies.js';
import { createHubspotHttp, HubspotError, type HubspotRequest } from './hubspot-http.js';
import { addRunNotes } from './hubspot-notes.js';

export interface HubspotClientOptions {
  token: string;
  apiUrl: string;
  /** Internal name of a number property on companies that gets the fit score (HUBSPOT_SCORE_PROPERTY). */
  scoreProperty?: string;
  logger: Pick<Logger, 'warn' | 'debug' | 'info'>;
  /** A 429 asking to wait longer than this is reported rather than waited out. */
  maxRetryWaitMs?: number;
  now?: () => Date;
  /** REDIS_URL mode: one send of a run at a time across app instances (two presses of Send on two instances). */
  lock?: DocumentLock;
  /** The pause before looking up a write whose answer was lost (tests shorten it). */
  findDelayMs?: number;
  /** The secret scrubber, applied to everything sent. */
  scrub?: (text: string) => string;
}

/** One lead as it ended up in HubSpot. */
export interface PushedCompany {
  lead: string;
  companyId: string;
  /** The company's record in HubSpot's web app, when the account's details could be read. */
  url?: string;
  action: 'created' | 'updated';
}

/** What "Send to HubSpot" did, as HubSpot holds it afterwards. */
export interface PushOutcome {
  companies: PushedCompany[];
  notesAdded: number;
  /** Companies that already had this run's note from an earlier press of Send (none was added). */
  notesAlready?: number;
  /** Why notes are missing when the companies are there. */
  notesError?: string;
  /** Leads HubSpot may or may not hold: it lost a create's answer and could not be asked since. Sending again is
   * safe (nothing is created twice). */
  unconfirmed?: string[];
  /** What HubSpot last answered about them. */
  unconfirmedReason?: string;
}

/** Sends leads to HubSpot as companies with a note each. */
export interface HubspotClient {
  sendLeads(
    input: { leads: readonly Lead[]; request: string; runId: string },
    signal?: AbortSignal,
  ): Promise<PushOutcome>;
  /** Whether HubSpot takes this token (the check before a run): throws HubspotError naming what to fix, and only
   * logs an outage or a rate limit. */
  check(signal?: AbortSignal): Promise<void>;
}

const accountSchema = z.object({ portalId: z.number(), uiDomain: z.string().optional() });

/** The REST API directly (the official client's current major needs Node 22): keyed upserts and one note per run. */
export function createHubspotClient(options: HubspotClientOptions): HubspotClient {
  const request = createHubspotHttp({
    token: options.token,
    apiUrl: options.apiUrl,
    logger: options.logger,
    maxRetryWaitMs: options.maxRetryWaitMs,
    scrub: options.scrub,
  });
  const now = options.now ?? (() => new Date());
  const lock: DocumentLock = options.lock ?? ((_key, work) => work());
  let recordBase: Promise<string | undefined> | undefined;
  let keyProperty: Promise<void> | undefined;
  // Sends go one at a time in a process; the lock keeps two processes from sending the same run at once.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    sendLeads(input, signal) {
      const next = queue.then(() => lock(`hubspot-send:${input.runId}`, () => send(input, signal)));
      queue = next.catch(() => undefined);
      return next;
    },
    async check(signal) {
      try {
        await request('GET', '/account-info/v3/details', undefined, signal);
      } catch (error) {
        // HubSpot down or busy is nothing to fix and no reason to hold a run back; a refused token or scope is.
        if (error instanceof HubspotError && (error.kind === 'unavailable' || error.kind === 'rate_limited')) {
          options.logger.warn({ err: error.message }, 'HubSpot did not answer the check before a run');
          return;
        }
        throw error;
      }
    },
  };

  async function send(
    input: { leads: readonly Lead[]; request: string; runId: string },
    signal?: AbortSignal,
  ): Promise<PushOutcome> {
    // The account's record links and the key property are settled once; a failure is tried again next send.
    recordBase ??= accountRecordBase(request, options.logger, signal);
    const base = await recordBase.catch((error: unknown) => {
      recordBase = undefined;
      throw error;
    });
    if (base === undefined) recordBase = undefined;
    keyProperty ??= ensureKeyProperty(request, signal);
    await keyProperty.catch((error: unknown) => {
      keyProperty = undefined;
      throw error;
    });

    const upserted = await upsertCompanies(request, input.leads, {
      scoreProperty: options.scoreProperty,
      signal,
      findDelayMs: options.findDelayMs,
    });
    const unconfirmed = upserted.unconfirmed.map((lead) => lead.name);
    if (unconfirmed.length > 0)
      options.logger.warn(
        { runId: input.runId, unconfirmed: unconfirmed.length, err: (upserted.error as Error | undefined)?.message },
        'HubSpot did not confirm some companies; sending again is safe',
      );
    const companies: PushedCompany[] = input.leads.flatMap((lead) => {
      const entry = upserted.pushed.get(lead);
      return entry
        ? [
            {
              lead: lead.name,
              companyId: entry.company.id,
              action: entry.action,
              ...(base ? { url: `${base}${entry.company.id}` } : {}),
            },
          ]
        : [];
    });
    const targets = input.leads.flatMap((lead) => {
      const entry = upserted.pushed.get(lead);
      return entry ? [{ lead, companyId: entry.company.id, existed: entry.action === 'updated' }] : [];
    });
    const extra = unconfirmed.length > 0 ? { unconfirmed, unconfirmedReason: errorText(upserted.error) } : {};
    try {
      const notes = await addRunNotes(request, targets, {
        request: input.request,
        runId: input.runId,
        at: now(),
        signal,
        findDelayMs: options.findDelayMs,
      });
      const notesError =
        notes.unconfirmed > 0
          ? `HubSpot did not confirm ${notes.unconfirmed} of them (${errorText(notes.error)}); press Send again to add what is missing, nothing is added twice.`
          : undefined;
      return {
        companies,
        notesAdded: notes.added,
        ...(notes.already > 0 ? { notesAlready: notes.already } : {}),
        ...(notesError ? { notesError } : {}),
        ...extra,
      };
    } catch (error) {
      // The companies are in HubSpot already; the thread says so, and why the notes are not.
      if (!(error instanceof HubspotError)) throw error;
      options.logger.warn(
        { runId: input.runId, err: error.message },
        'HubSpot notes failed after the companies were sent',
      );
      return { companies, notesAdded: 0, notesError: error.message, ...extra };
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'no answer';
}

/** "https://app.hubspot.com/contacts/<portal>/record/0-2/" for links to company records; undefined if unreadable. */
async function accountRecordBase(
  request: HubspotRequest,
  logger: Pick<Logger, 'warn'>,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    const account = accountSchema.parse(await request('GET', '/account-info/v3/details', undefined, signal));
    return `https://${account.uiDomain ?? 'app.hubspot.com'}/contacts/${account.portalId}/record/0-2/`;
  } catch (error) {
    // A bad token is the answer to the whole send; anything else only costs the links.
    if (error instanceof HubspotError && (error.kind === 'auth' || error.kind === 'rate_limited')) throw error;
    logger.warn(
      { err: (error as Error).message },
      'could not read the HubSpot account details; the summary will have no links',
    );
    return undefined;
  }
}
