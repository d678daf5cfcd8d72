import { dataBlock, UNTRUSTED_DATA_RULE } from '../prompt-data.js';

export const ENRICHMENT_SYSTEM =
  'You read web search results about companies and extract facts about each one: website (web), headquarters (hq: city, state or province), ' +
  'size (employees, rooftops or locations, with the number as written) and industry or segment (a few words). ' +
  "Each fact must be stated in one of that company's sources: give the [S#] number it came from. " +
  'If no source states a fact, answer null for it. Never guess and never use knowledge from outside the sources. ' +
  `${UNTRUSTED_DATA_RULE} Answer with JSON only.`;

export interface EnrichmentPromptCompany {
  id: number;
  name: string;
  /** Sources already numbered within the whole prompt: [S#] url — title — text. */
  sources: { id: number; url: string; title: string; text: string }[];
}

/** One prompt for several companies; source numbers are unique across the prompt. */
export function enrichmentPrompt(companies: EnrichmentPromptCompany[]): string {
  const blocks = companies.map((company) => {
    const lines = company.sources.map((s) => `[S${s.id}] ${s.url}\n${s.title} — ${s.text}`);
    // The name came from web pages too, so it sits inside the data block with the sources.
    return `Company ${company.id}\n${dataBlock(`company ${company.id}`, [`Name: ${company.name}`, ...lines].join('\n'))}`;
  });
  return [
    ...blocks,
    'Return {"companies": [{"id", "name", "web", "hq", "size", "industry"}]} with one entry per company id, the name copied from its data. ' +
      'Each fact is {"v": value, "s": S number of its source}, or null.',
  ].join('\n\n');
}
