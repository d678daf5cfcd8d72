import type { ExclusionList } from './grounding.js';
import { domainOf } from './url.js';
import {
  NoLeadsError,
  type Candidate,
  type EnrichedCompany,
  type ExplainedScore,
  type Lead,
  type LeadFunnel,
} from './types.js';

// The one gate between the pipeline and every front end: whatever the model did, what is shown obeys these rules.
//  - a lead's score and rationale were written together for it by this run's (or re-score's) explain pass;
//    screen scores never reach here, and a blank rationale never passes;
//  - leads are ranked 1..N by that score, one per registrable domain, at most `top`;
//  - each lead is a company grounded in this run's search results, not excluded, with a source search returned.

const MAX_SOURCES_PER_LEAD = 5;
/** Fewer leads than this is the "low quality results" case: shown, with a warning. */
export const FEW_LEADS = 5;

/** Everything the gate needs to decide what may be shown. */
export interface LeadSelectionInput {
  runId: string;
  /** Companies named in this run's search results (grounded by research). */
  candidates: readonly Candidate[];
  companies: readonly EnrichedCompany[];
  scores: readonly ExplainedScore[];
  /** The explain pass whose scores may rank leads; scores of any other pass are ignored. */
  pass: string;
  /** Companies the model was asked to score and gave no usable answer for (the rest simply ranked lower). */
  unscored: ReadonlySet<string>;
  /** Every URL search returned for these companies; a lead shows only these. */
  returnedUrls: ReadonlySet<string>;
  exclusions: ExclusionList;
  top: number;
  /** Research's counts (names found, not in the results, excluded); the rest is counted here. */
  research: Pick<LeadFunnel, 'namesFound' | 'notInResults' | 'excluded'>;
  /** The profile's company, for "competitors or AxleWave". */
  companyName: string;
}

/** The leads to show, the warnings to show with them, and the counts behind both. */
export interface LeadSelection {
  leads: Lead[];
  warnings: string[];
  funnel: LeadFunnel;
}

/** The final, ranked leads; throws NoLeadsError (with the numbers) when not one company qualifies. */
export function selectLeads(input: LeadSelectionInput): LeadSelection {
  const grounded = new Map(input.candidates.map((c) => [c.key, c]));
  const explained = new Map<string, ExplainedScore>();
  for (const score of input.scores) {
    if (score.pass === input.pass && !explained.has(score.key) && isExplained(score)) explained.set(score.key, score);
  }
  const funnel: LeadFunnel = { ...input.research, withoutSource: 0, unscored: 0 };
  const eligible: { company: EnrichedCompany; score: ExplainedScore; sources: string[]; domain?: string }[] = [];
  for (const company of input.companies) {
    const candidate = grounded.get(company.key);
    const domain = company.website
      ? domainOf(company.website.value)
      : candidate?.domain
        ? domainOf(candidate.domain)
        : undefined;
    if (!candidate) {
      funnel.notInResults += 1;
      continue;
    }
    if (input.exclusions.isExcluded({ key: company.key, domain: domain ?? null })) {
      funnel.excluded += 1;
      continue;
    }
    const sources = company.sources.filter((url) => input.returnedUrls.has(url));
    if (sources.length === 0) {
      funnel.withoutSource += 1;
      continue;
    }
    const score = explained.get(company.key);
    if (!score) {
      if (input.unscored.has(company.key)) funnel.unscored += 1;
      continue;
    }
    eligible.push({ company, score, sources, domain });
  }
  eligible.sort(
    (a, b) =>
      b.score.fitScore - a.score.fitScore ||
      b.sources.length - a.sources.length ||
      a.company.name.localeCompare(b.company.name),
  );
  const domains = new Set<string>();
  const keys = new Set<string>();
  const leads: Lead[] = [];
  for (const { company, score, sources, domain } of eligible) {
    if (leads.length >= input.top) break;
    if (keys.has(company.key) || (domain && domains.has(domain))) continue;
    keys.add(company.key);
    if (domain) domains.add(domain);
    leads.push({
      rank: leads.length + 1,
      name: company.name,
      website: company.website?.value ?? null,
      headquarters: company.headquarters?.value ?? null,
      size: company.size?.value ?? null,
      industry: company.industry?.value ?? null,
      fitScore: score.fitScore,
      rationale: score.rationale.trim(),
      sources: sources.slice(0, MAX_SOURCES_PER_LEAD),
    });
  }
  if (leads.length === 0) throw new NoLeadsError(input.runId, funnel, noLeadsMessage(funnel, input.companyName));
  return { leads, warnings: leadWarnings(leads.length, input.top, funnel), funnel };
}

function isExplained(score: ExplainedScore): boolean {
  return (
    score.rationale.trim() !== '' && Number.isFinite(score.fitScore) && score.fitScore >= 0 && score.fitScore <= 100
  );
}

/** "28 names found; 9 not in the results, 7 competitors or AxleWave, 12 without a usable source". */
export function describeFunnel(funnel: LeadFunnel, companyName: string): string {
  const losses = [
    [funnel.notInResults, 'not in the results'],
    [funnel.excluded, `competitors or ${companyName}`],
    [funnel.withoutSource, 'without a usable source'],
    [funnel.unscored, 'without a usable score from the model'],
  ] as const;
  const lost = losses.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  const found = `${funnel.namesFound} ${funnel.namesFound === 1 ? 'name' : 'names'} found`;
  return lost.length > 0 ? `${found}; ${lost.join(', ')}` : found;
}

/** The failure text for an empty result: what happened in numbers, then what to try. */
export function noLeadsMessage(funnel: LeadFunnel, companyName: string): string {
  const hint =
    funnel.namesFound === 0
      ? 'The search results named no companies.'
      : funnel.unscored > 0 && funnel.unscored >= funnel.notInResults
        ? 'The model did not score the companies it was given.'
        : 'None of the names qualified as a lead.';
  return `No leads: ${describeFunnel(funnel, companyName)}. ${hint} Try a broader request (fewer constraints), run it again, or use a stronger model.`;
}

function leadWarnings(shown: number, top: number, funnel: LeadFunnel): string[] {
  const warnings: string[] = [];
  if (shown < FEW_LEADS)
    warnings.push(
      `Low-quality result: only ${shown} ${shown === 1 ? 'lead' : 'leads'} qualified (fewer than ${FEW_LEADS}).`,
    );
  if (shown < top) {
    const why =
      funnel.unscored > 0
        ? `; ${funnel.unscored} ${funnel.unscored === 1 ? 'company' : 'companies'} had no usable score with a reason`
        : '';
    warnings.push(`Showing ${shown} of the ${top} leads asked for${why}.`);
  }
  return warnings;
}
