import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { askPerCompany } from './ask-per-company.js';
import { chunk } from '../domain/collections.js';
import { companyKey, mentions, searchableText } from '../domain/grounding.js';
import { clip } from '../domain/text.js';
import {
  SCORING_SYSTEM,
  SCREENING_SYSTEM,
  scoringPrompt,
  type ScoringPromptCompany,
} from './prompts/scoring-prompt.js';
import type { EnrichedCompany, ExplainedScore, IntentResult, ScreenScore } from '../domain/types.js';

/** Fifteen companies per screening call: thirty candidates are screened in two calls side by side. */
export const SCREENING_BATCH_SIZE = 15;
const RATIONALE_MAX = 320;

const score = z.number().int().min(0).max(100);
const id = z.union([z.number().int(), z.string()]).describe('Company number from the prompt');
const name = z.string().describe('Company name exactly as given in the prompt').catch('');

// One malformed entry (a fit of 150, a word) is dropped, not the batch; an answer with no usable entry at all is
// invalid, so it is retried with the reason and the run fails clearly rather than "succeed" with no scores.
const UNUSABLE = { id: -1, name: '' };
const someUsable = <T extends { id: number | string }>(entries: T[]) =>
  entries.some((entry) => entry.id !== UNUSABLE.id);
const NO_USABLE_ENTRY = 'no entry has a company id from the prompt and a fit from 0 to 100';

const screeningSchema = z.object({
  scores: z
    .array(
      z.object({ id, name, fit: score.describe('Fit from 0 (none) to 100 (ideal)') }).catch({ ...UNUSABLE, fit: 0 }),
    )
    .refine(someUsable, NO_USABLE_ENTRY),
});

const explainedSchema = z.object({
  scores: z
    .array(
      z
        .object({
          id,
          name,
          fitScore: score.describe('Fit from 0 (none) to 100 (ideal)'),
          rationale: z.string().describe('One or two sentences citing facts from the data'),
        })
        .catch({ ...UNUSABLE, fitScore: 0, rationale: '' }),
    )
    .refine(someUsable, NO_USABLE_ENTRY),
});

/** How a scoring pass is asked: how many to explain, the user's words, an optional re-score note. */
export interface ScoringOptions {
  top: number;
  /** The user's request, shown to the model as data. */
  request: string;
  note?: string;
  evidence?: Map<string, string[]>;
  onProgress: (done: number, total: number) => void;
}

/** What one scoring pass produced: only `explained` may rank leads, and only for this `pass`. */
export interface ScoringOutcome {
  pass: string;
  screened: ScreenScore[];
  explained: ExplainedScore[];
  /** Companies the model was asked about and gave no usable answer for. */
  unscored: Set<string>;
}

/**
 * Scores companies in two passes: a terse screen of all of them decides the order in which companies are
 * explained; the explain pass writes the score and reason that are shown. Output tokens dominate a local model's
 * latency, so reasons are only written for the best `top`. The explain pass may disagree with the screen: the
 * shown ranking is from explained scores alone, and when fewer than `top` companies got a usable reason, the next
 * ones in screen order are explained (one extra call per missing batch) rather than padding with screen scores.
 */
export async function scoreCompanies(
  companies: EnrichedCompany[],
  intent: IntentResult,
  ctx: AgentContext,
  options: ScoringOptions,
): Promise<ScoringOutcome> {
  const pass = `${ctx.runId}/${randomUUID()}`;
  let total = companies.length + Math.min(options.top, companies.length);
  let done = 0;
  const progress = (count: number) => options.onProgress((done = Math.min(total, done + count)), total);
  const prompt = (batch: readonly EnrichedCompany[], mode: 'screen' | 'explain') =>
    scoringPrompt(ctx.profile, intent, promptCompanies(batch, options), {
      request: options.request,
      note: options.note,
      mode,
      preferences: ctx.team?.preferences,
    });
  const askScreen = async (batch: readonly EnrichedCompany[]) =>
    (
      await askModel(ctx, {
        agent: 'scoring.screen',
        system: SCREENING_SYSTEM,
        prompt: prompt(batch, 'screen'),
        schema: screeningSchema,
        maxOutputTokens: 24 * batch.length,
      })
    ).scores;
  const askExplain = async (batch: readonly EnrichedCompany[]) =>
    (
      await askModel(ctx, {
        agent: 'scoring.explain',
        system: SCORING_SYSTEM,
        prompt: prompt(batch, 'explain'),
        schema: explainedSchema,
        maxOutputTokens: 100 * batch.length,
      })
    ).scores;

  const screen = await askPerCompany(ctx, {
    companies,
    nameOf: (c) => c.name,
    batchSize: SCREENING_BATCH_SIZE,
    ask: askScreen,
    read: (entry) => ({ fit: entry.fit }),
    reask: true,
    onBatchDone: progress,
  });
  // Not one company screened because no answer was valid JSON: that is the run's failure to report as it is.
  // (Valid answers that matched no company end as "no leads", with the numbers.)
  if (screen.answers.size === 0 && screen.lastError) throw screen.lastError;
  const screened: ScreenScore[] = companies.flatMap((c) => {
    const answer = screen.answers.get(c);
    return answer ? [{ key: c.key, fit: answer.fit }] : [];
  });
  const order = [...screened]
    .sort((a, b) => b.fit - a.fit || sourceCount(companies, b.key) - sourceCount(companies, a.key))
    .map((s) => companies.find((c) => c.key === s.key) as EnrichedCompany);

  const shortlist = order.slice(0, options.top);
  const batchSize = Math.max(1, Math.ceil(shortlist.length / 2));
  const explain = (batch: readonly EnrichedCompany[], reask: boolean) =>
    askPerCompany(ctx, {
      companies: batch,
      nameOf: (c) => c.name,
      batchSize,
      ask: askExplain,
      read: readExplanation,
      reask,
      onBatchDone: progress,
    });
  const first = await explain(shortlist, true);
  const explained = new Map(first.answers);
  const unscored = new Set(first.missing.map((c) => c.key));
  for (const c of companies) if (!screen.answers.has(c)) unscored.add(c.key);

  const gap = Math.min(options.top, order.length) - explained.size;
  const next = order.slice(shortlist.length, shortlist.length + gap);
  if (next.length > 0) {
    ctx.logger.info(
      { explained: explained.size, top: options.top, asking: next.length },
      'explaining the next companies in screen order',
    );
    total += next.length;
    const more = await Promise.all(chunk(next, batchSize).map((batch) => explain(batch, false)));
    for (const outcome of more) {
      for (const [company, reading] of outcome.answers) explained.set(company, reading);
      for (const company of outcome.missing) unscored.add(company.key);
    }
  }
  return {
    pass,
    screened,
    explained: [...explained].map(([company, reading]) => ({ key: company.key, ...reading, pass })),
    unscored,
  };
}

/** A score with a reason, if the reason is there and is about this company rather than another in the batch. */
function readExplanation(
  entry: { fitScore: number; rationale: string },
  company: EnrichedCompany,
  batch: readonly EnrichedCompany[],
): { fitScore: number; rationale: string } | null {
  const rationale = clip(entry.rationale, RATIONALE_MAX);
  if (rationale.length < 3) return null;
  return aboutAnotherCompany(rationale, company, batch) ? null : { fitScore: entry.fitScore, rationale };
}

/** True when the reason names another company of the batch and not its own: it was written for someone else. */
export function aboutAnotherCompany(
  rationale: string,
  company: { name: string },
  batch: readonly { name: string }[],
): boolean {
  const text = searchableText(rationale);
  const own = companyKey(company.name);
  const ownShort = own.split(' ').slice(0, 2).join(' ');
  if (mentions(text, own) || mentions(text, ownShort)) return false;
  return batch.some((other) => other.name !== company.name && mentions(text, companyKey(other.name)));
}

function sourceCount(companies: readonly EnrichedCompany[], key: string): number {
  return companies.find((c) => c.key === key)?.sources.length ?? 0;
}

function promptCompanies(batch: readonly EnrichedCompany[], options: ScoringOptions): ScoringPromptCompany[] {
  return batch.map((company, index) => ({
    id: index + 1,
    name: company.name,
    facts: describeFacts(company),
    evidence: (options.evidence?.get(company.key) ?? []).slice(0, 2).map((e) => clip(e, 200)),
  }));
}

function describeFacts(company: EnrichedCompany): string {
  const parts = [
    company.website && `Website: ${company.website.value}`,
    company.headquarters && `HQ: ${company.headquarters.value}`,
    company.size && `Size: ${company.size.value}`,
    company.industry && `Industry: ${company.industry.value}`,
    company.description && `About: ${company.description.value}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' | ') : 'No verified facts beyond the search mentions below.';
}
