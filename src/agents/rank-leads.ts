import type { AgentContext } from './agent-context.js';
import { scoreCompanies } from './scoring.js';
import { buildExclusionList } from '../domain/grounding.js';
import { selectLeads } from '../domain/select-leads.js';
import type { Candidate, EnrichedCompany, ExplainedScore, IntentResult, Lead, LeadFunnel } from '../domain/types.js';

/** What ranking needs of a run: its request, grounded candidates, looked-up companies and research's counts. */
export interface RankInput {
  request: string;
  intent: IntentResult;
  top: number;
  candidates: readonly Candidate[];
  companies: EnrichedCompany[];
  research: Pick<LeadFunnel, 'namesFound' | 'notInResults' | 'excluded'>;
  note?: string;
}

/** What ranking adds to a run: the explained scores, the leads and their warnings. */
export interface Ranked {
  scores: ExplainedScore[];
  leads: Lead[];
  warnings: string[];
}

/**
 * Scores the companies and selects the leads a front end may show. The selection is the domain's one gate
 * (explained scores only, ranks 1..N, one per domain, sourced, nobody excluded); an empty one is a NoLeadsError.
 */
export async function rankLeads(
  input: RankInput,
  ctx: AgentContext,
  onProgress: (done: number, total: number) => void,
): Promise<Ranked> {
  const outcome = await scoreCompanies(input.companies, input.intent, ctx, {
    top: input.top,
    request: input.request,
    note: input.note,
    evidence: new Map(input.candidates.map((c) => [c.key, c.evidence])),
    onProgress,
  });
  const selection = selectLeads({
    runId: ctx.runId,
    candidates: input.candidates,
    companies: input.companies,
    scores: outcome.explained,
    pass: outcome.pass,
    unscored: outcome.unscored,
    returnedUrls: returnedUrls(input.candidates, input.companies),
    exclusions: buildExclusionList(ctx.profile, input.request),
    top: input.top,
    research: input.research,
    companyName: ctx.profile.company.name,
  });
  return { scores: outcome.explained, leads: selection.leads, warnings: selection.warnings };
}

/** The URLs search returned for these companies: the results that name them and the pages their facts cite. */
function returnedUrls(candidates: readonly Candidate[], companies: readonly EnrichedCompany[]): Set<string> {
  const urls = new Set(candidates.flatMap((c) => c.sources));
  for (const company of companies) {
    for (const field of [company.website, company.headquarters, company.size, company.industry, company.description]) {
      if (field) urls.add(field.source);
    }
  }
  return urls;
}
