import { z } from 'zod';
import { collapseWhitespace, stripInvisible } from '../domain/text.js';
import type { Lead } from '../domain/types.js';

// What a CRM record says about a lead, in plain text (Salesforce shows a Task's description as typed): the score, the
// reason, the facts, the criteria verdicts when the run has them, and the sources.

const verdictSchema = z.object({
  id: z.string(),
  verdict: z.enum(['met', 'not_met', 'unknown']),
  quote: z.string().nullish(),
  source: z.string().nullish(),
});
const criterionSchema = z.object({ id: z.string(), label: z.string() });

/** A criterion's label and this lead's verdict on it, as the run and the lead carry them (both optional). */
export interface LeadVerdict {
  label: string;
  verdict: 'met' | 'not_met' | 'unknown';
  quote?: string;
  source?: string;
}

/** The lead's verdicts, labelled by the run's criteria; none when either is missing or not in the expected shape. */
export function verdictsOf(lead: Lead, criteria: unknown): LeadVerdict[] {
  const verdicts = z.array(verdictSchema).safeParse((lead as { criteria?: unknown }).criteria);
  if (!verdicts.success) return [];
  const labels = z.array(criterionSchema).safeParse(criteria);
  const labelOf = (id: string) => (labels.success ? labels.data.find((c) => c.id === id)?.label : undefined) ?? id;
  return verdicts.data.map((v) => ({
    label: labelOf(v.id),
    verdict: v.verdict,
    ...(v.quote ? { quote: v.quote } : {}),
    ...(v.source && /^https?:\/\//i.test(v.source) ? { source: v.source } : {}),
  }));
}

const VERDICT_WORDS = { met: 'met', not_met: 'not met', unknown: 'unknown' } as const;

/** The plain-text body of a lead's CRM task: nothing from the web can format or link anything beyond plain text. */
export function leadSummaryText(
  lead: Lead,
  context: { request: string; runId: string; at: Date; criteria?: unknown },
): string {
  const clean = (text: string, max: number) => collapseWhitespace(stripInvisible(text)).slice(0, max);
  const facts = [lead.headquarters, lead.size, lead.industry].filter(Boolean).map((f) => clean(String(f), 120));
  const verdicts = verdictsOf(lead, context.criteria).map((v) => {
    const quote = v.quote ? ` — “${clean(v.quote, 200)}”` : '';
    const source = v.source ? ` (${v.source.slice(0, 300)})` : '';
    return `- ${clean(v.label, 120)}: ${VERDICT_WORDS[v.verdict]}${quote}${source}`;
  });
  const sources = lead.sources.filter((url) => /^https?:\/\//i.test(url)).slice(0, 5);
  return [
    `Leads fit score: ${Math.round(lead.fitScore)}/100 (rank ${lead.rank} for “${clean(context.request, 300)}”)`,
    '',
    clean(lead.rationale, 1500),
    ...(facts.length > 0 ? ['', facts.join(' · ')] : []),
    ...(verdicts.length > 0 ? ['', 'Criteria:', ...verdicts] : []),
    ...(sources.length > 0 ? ['', 'Sources:', ...sources.map((url) => `- ${url.slice(0, 500)}`)] : []),
    '',
    `Sent from Leads on ${context.at.toISOString().slice(0, 10)} (run ${context.runId}).`,
  ].join('\n');
}
