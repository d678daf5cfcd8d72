// How the fake model reads a prompt: only by its structure (the JSON schema asked for, <data> blocks, their
// labels, [S#] and [R#] markers, a <guidance> element), never by the wording around them, so rewording a prompt
// cannot change what the fake answers.

/** Which agent's question a request asks, read from the JSON schema in its `format`. */
export type QuestionKind = 'intent' | 'queries' | 'extraction' | 'enrichment' | 'screening' | 'scoring' | 'unknown';

type SchemaNode = { type?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode };

/** The question a request asks, from its schema's shape. */
export function questionKind(format: unknown): QuestionKind {
  const props = (format as SchemaNode)?.properties ?? {};
  if (props.intent) return 'intent';
  if (props.queries) return 'queries';
  const scoreItem = props.scores?.items?.properties ?? {};
  if ('fit' in scoreItem) return 'screening';
  if ('rationale' in scoreItem) return 'scoring';
  const companyItem = props.companies?.items;
  if (companyItem?.type === 'string') return 'extraction';
  if (companyItem?.properties && 'hq' in companyItem.properties) return 'enrichment';
  return 'unknown';
}

/** True when the schema asks each entry to echo the company name. */
export function asksForNames(format: unknown): boolean {
  const props = (format as SchemaNode)?.properties ?? {};
  const item = props.scores?.items?.properties ?? props.companies?.items?.properties ?? {};
  return 'name' in item;
}

export interface DataBlock {
  label: string;
  body: string;
}

/** Every `<data label="…">…</data>` block, in order. */
export function dataBlocks(prompt: string): DataBlock[] {
  return [...prompt.matchAll(/<data label="([^"]*)">\s*([\s\S]*?)\s*<\/data>/g)].map((m) => ({
    label: m[1] as string,
    body: m[2] as string,
  }));
}

/** The body of the first block with this label, if any. */
export function blockText(prompt: string, label: string): string | undefined {
  return dataBlocks(prompt).find((b) => b.label === label)?.body;
}

export interface PromptSource {
  id: number;
  url: string;
  /** Title and text as the prompt shows them. */
  text: string;
}

export interface PromptCompany {
  /** The number in the block's label ("company 3"). */
  id: number;
  name: string;
  /** The block's lines after the name (facts, evidence, sources). */
  body: string;
  sources: PromptSource[];
}

/** The companies a prompt asks about: blocks labelled "company N", with the "Name:" line and [S#] sources. */
export function promptCompanies(prompt: string): PromptCompany[] {
  return dataBlocks(prompt).flatMap((block) => {
    const id = /^company\s+(\d+)$/i.exec(block.label.trim())?.[1];
    if (id === undefined) return [];
    const name = /^Name:\s*(.+)$/m.exec(block.body)?.[1]?.trim() ?? '';
    const sources = [...block.body.matchAll(/\[S(\d+)\]\s+(\S+)\n([^\n]*)/g)].map((m) => ({
      id: Number(m[1]),
      url: m[2] as string,
      text: m[3] as string,
    }));
    return [{ id: Number(id), name, body: block.body, sources }];
  });
}

export interface PromptResult {
  id: number;
  text: string;
}

/** The numbered search results of an extraction prompt ([R#] title (domain) then the snippet). */
export function promptResults(prompt: string): PromptResult[] {
  const body = dataBlocks(prompt).find((b) => /result/i.test(b.label))?.body ?? '';
  return [...body.matchAll(/\[R(\d+)\]\s*([^\n]*)\n([^\n]*)/g)].map((m) => ({
    id: Number(m[1]),
    text: `${m[2]} ${m[3]}`,
  }));
}

/** The pages read in full that an extraction prompt quotes: blocks labelled "page P#", each line as written. */
export function promptPages(prompt: string): PromptResult[] {
  return dataBlocks(prompt)
    .filter((b) => /^page P\d+$/.test(b.label))
    .map((b, i) => ({ id: i + 1, text: b.body }));
}

/** The sales person's note in a re-score, if the prompt carries one. */
export function guidanceText(prompt: string): string | undefined {
  return /<guidance>([\s\S]*?)<\/guidance>/.exec(prompt)?.[1];
}
