// The research stage's extraction calls: the results' snippets in two halves (both LLM slots busy), with the chunks of
// the pages read in full spread over the same calls, so reading adds prompt text but no call. A call that fails
// with page text in it is asked again without it: a page can cost its own names, never the run.
import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { chunk } from '../domain/collections.js';
import { clip } from '../domain/text.js';
import type { IntentResult } from '../domain/types.js';
import { domainOf } from '../domain/url.js';
import { describeError, LlmUnavailableError, RunAbortedError } from '../errors.js';
import type { SearchResult } from '../search/types.js';
import type { PageChunk } from './list-pages.js';
import { EXTRACTION_SYSTEM, extractionPrompt } from './prompts/research-prompt.js';

/** Two extraction calls keep both LLM slots busy; each sees half of the results. */
export const EXTRACTION_BATCHES = 2;
/** Names a call may list: its share of the 30 candidates with room for misses, and more where it carries page text. */
const NAMES_PER_CHUNK = 25;
const OUTPUT_TOKENS_PER_CHUNK = 300;

// Names only: which results name a company is computed from the results themselves, so the model
// spends no output tokens on citations that grounding would have to re-check anyway.
const extractionSchema = z.object({
  companies: z
    .array(z.string().describe('Company name exactly as written in the results or pages'))
    .describe('Companies named in the results that fit the request'),
});

export interface Extraction {
  names: string[];
  /** Plain words for the run's warnings (page text a call could not take). */
  warnings: string[];
}

/** Lists the names in `results` and `chunks`, in `batches` calls (results split evenly, chunks dealt round). */
export async function extractNames(
  results: readonly SearchResult[],
  chunks: readonly PageChunk[],
  intent: IntentResult,
  maxCandidates: number,
  ctx: AgentContext,
  batches = EXTRACTION_BATCHES,
): Promise<Extraction> {
  const resultBatches = results.length === 0 ? [] : chunk([...results], Math.ceil(results.length / batches));
  const calls = Math.max(resultBatches.length, Math.min(batches, chunks.length));
  const warnings: string[] = [];
  const perCallMax = Math.ceil((maxCandidates * 1.3) / Math.max(1, calls));
  const answers = await Promise.all(
    Array.from({ length: calls }, async (_, index) => {
      const mine = resultBatches[index] ?? [];
      const pages = chunks.filter((_, i) => i % calls === index);
      try {
        return await ask(mine, pages, intent, perCallMax + pages.length * NAMES_PER_CHUNK, ctx);
      } catch (error) {
        if (pages.length === 0 || !pageTextMayBeAtFault(error)) throw error;
        warnings.push(`A page could not be read for names (${pages.map((p) => domainOf(p.url)).join(', ')}).`);
        ctx.logger.warn(
          { err: describeError(error), pages: pages.map((p) => p.url) },
          'extraction failed with page text; asking without it',
        );
        return mine.length > 0 ? ask(mine, [], intent, perCallMax, ctx) : [];
      }
    }),
  );
  return { names: answers.flat(), warnings };
}

async function ask(
  results: readonly SearchResult[],
  pages: readonly PageChunk[],
  intent: IntentResult,
  maxCompanies: number,
  ctx: AgentContext,
): Promise<string[]> {
  const answer = await askModel(ctx, {
    agent: 'research.extract',
    system: EXTRACTION_SYSTEM,
    prompt: extractionPrompt(ctx.profile, intent, numberResults(results), maxCompanies, pages.map(pageBlockText)),
    schema: extractionSchema,
    schemaName: 'candidates',
    maxOutputTokens: 800 + pages.length * OUTPUT_TOKENS_PER_CHUNK,
  });
  return answer.companies;
}

/** An unreachable model or a cancelled run is not the page's fault: asking again without it would fail the same. */
function pageTextMayBeAtFault(error: unknown): boolean {
  return !(error instanceof LlmUnavailableError) && !(error instanceof RunAbortedError);
}

function numberResults(results: readonly SearchResult[]): string {
  return results
    .map((r, i) => `[R${i + 1}] ${clip(r.title, 120)} (${domainOf(r.url) ?? 'web'})\n${clip(r.snippet, 300)}`)
    .join('\n');
}

function pageBlockText(page: PageChunk): { label: string; text: string } {
  return {
    label: page.label,
    text: `[${page.label}] ${clip(page.title, 120)} (${domainOf(page.url) ?? 'web'})\n${page.text}`,
  };
}
