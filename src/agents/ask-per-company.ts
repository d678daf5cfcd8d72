import { chunk } from '../domain/collections.js';
import { matchAnswers, type AnswerEntry } from '../domain/match-answers.js';
import { StructuredOutputError } from '../errors.js';
import type { AgentContext } from './agent-context.js';

/** One per-company question, asked in batches; the prompt numbers each batch's companies 1..n in order. */
export interface PerCompanyQuestion<C, E extends AnswerEntry, R> {
  companies: readonly C[];
  nameOf: (company: C) => string;
  batchSize: number;
  /** Asks the model about one batch and returns its entries (whatever their ids and order). */
  ask: (batch: readonly C[]) => Promise<readonly E[]>;
  /** The usable reading of the entry matched to a company, or null (a blank reason, a reason about another company). */
  read: (entry: E, company: C, batch: readonly C[]) => R | null;
  /** Re-ask the companies of a batch left without a usable entry, once, in a smaller call. */
  reask: boolean;
  /** Called as each batch (with its re-ask) is done. */
  onBatchDone?: (count: number) => void;
}

/** The usable reading per company, and who is still without one. */
export interface PerCompanyAnswers<C, R> {
  answers: Map<C, R>;
  /** Companies still without a usable entry after the re-ask. */
  missing: C[];
  /** Batches whose every attempt was invalid JSON or off-schema; the last such error. */
  lastError?: StructuredOutputError;
}

/**
 * Asks about companies in batches, matching entries to companies by id and echoed name (never by position), so a
 * misnumbered, reordered or repeated answer never gives one company another's facts or score. A company left
 * without a usable entry is asked again once, in a smaller call; after that it is reported missing, not guessed.
 */
export async function askPerCompany<C, E extends AnswerEntry, R>(
  ctx: AgentContext,
  question: PerCompanyQuestion<C, E, R>,
): Promise<PerCompanyAnswers<C, R>> {
  const answers = new Map<C, R>();
  const missing: C[] = [];
  let lastError: StructuredOutputError | undefined;

  async function round(batch: readonly C[]): Promise<C[]> {
    let entries: readonly E[] = [];
    try {
      entries = await question.ask(batch);
    } catch (error) {
      // An answer that never validated costs this batch its entries, not the run: the re-ask or the caller decides.
      if (!(error instanceof StructuredOutputError)) throw error;
      lastError = error;
      ctx.logger.warn({ err: error.message, companies: batch.length }, 'batch answer unusable');
    }
    const matched = matchAnswers(
      batch.map((company, index) => ({ id: index + 1, name: question.nameOf(company) })),
      entries,
    );
    const left: C[] = [];
    batch.forEach((company, index) => {
      const entry = matched.get(index + 1);
      const reading = entry === undefined ? null : question.read(entry, company, batch);
      if (reading === null) left.push(company);
      else answers.set(company, reading);
    });
    return left;
  }

  await Promise.all(
    chunk(question.companies, question.batchSize).map(async (batch) => {
      let left = await round(batch);
      if (question.reask && left.length > 0) {
        // Smaller than the batch: the leftovers alone, or two halves when nothing in the batch was usable.
        const size = left.length < batch.length ? left.length : Math.max(1, Math.ceil(left.length / 2));
        left = (await Promise.all(chunk(left, size).map((again) => round(again)))).flat();
      }
      missing.push(...left);
      question.onBatchDone?.(batch.length);
    }),
  );
  return { answers, missing, lastError };
}
