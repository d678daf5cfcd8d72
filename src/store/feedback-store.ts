import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { z } from 'zod';
import {
  feedbackEntrySchema,
  MAX_REASON_CHARS,
  teamContextFrom,
  type FeedbackEntry,
  type TeamContext,
} from '../domain/feedback.js';
import { scopedKey, SharedDocument, type SharedDocumentOptions } from './shared-document.js';

/** A workspace keeps this many marks; older ones are forgotten first. */
export const MAX_FEEDBACK_ENTRIES = 500;

const documentSchema = z.object({ entries: z.array(feedbackEntrySchema) });
type FeedbackDocument = z.infer<typeof documentSchema>;

/** A new mark, before the store gives it an id and a time. */
export type NewFeedback = Omit<FeedbackEntry, 'id' | 'at'>;

/** The team's marks on leads, per workspace, with who and when; kept until undone (no expiry). */
export class FeedbackStore {
  private readonly docs: SharedDocument<FeedbackDocument>;

  constructor(keyv: Keyv, options: SharedDocumentOptions & { now?: () => Date } = {}) {
    this.docs = new SharedDocument(keyv, documentSchema, () => ({ entries: [] }), {
      logger: options.logger,
      lock: options.lock,
    });
    this.now = options.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  /** Stores a mark and returns it. */
  async add(feedback: NewFeedback): Promise<FeedbackEntry> {
    const entry: FeedbackEntry = {
      ...feedback,
      id: `fb_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`,
      at: this.now().toISOString(),
    };
    await this.docs.update(keyOf(feedback.scope), (doc) =>
      doc.entries.some((e) => e.id === entry.id)
        ? doc
        : { entries: [entry, ...doc.entries].slice(0, MAX_FEEDBACK_ENTRIES) },
    );
    return entry;
  }

  /** A workspace's marks, newest first. */
  async list(scope: string): Promise<FeedbackEntry[]> {
    const doc = await this.docs.read(keyOf(scope));
    return [...doc.entries].sort((a, b) => b.at.localeCompare(a.at));
  }

  /** One mark of this workspace; another workspace's id finds nothing. */
  async get(scope: string, id: string): Promise<FeedbackEntry | undefined> {
    return (await this.list(scope)).find((entry) => entry.id === id);
  }

  /** Removes a mark (Undo); returns it, or undefined when it was not there. */
  async remove(scope: string, id: string): Promise<FeedbackEntry | undefined> {
    const found = await this.get(scope, id);
    if (!found) return undefined;
    await this.docs.update(keyOf(scope), (doc) => ({ entries: doc.entries.filter((e) => e.id !== id) }));
    return found;
  }

  /** Adds or replaces the short reason of a mark; returns the updated mark, or undefined if it is gone. */
  async setReason(scope: string, id: string, reason: string): Promise<FeedbackEntry | undefined> {
    const text = reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_CHARS);
    const stored = await this.docs.update(keyOf(scope), (doc) => ({
      entries: doc.entries.map((e) =>
        e.id === id ? { ...e, ...(text ? { reason: text } : { reason: undefined }) } : e,
      ),
    }));
    return stored.entries.find((e) => e.id === id);
  }

  /** What the next run of this workspace should know: who to hide, and the latest judgements. */
  async teamContext(scope: string): Promise<TeamContext> {
    return teamContextFrom(await this.list(scope));
  }
}

function keyOf(scope: string): string {
  return scopedKey(scope, 'feedback');
}
