import type { LeadsDocument } from '../domain/types.js';
import { truncate } from '../domain/text.js';
import { describeCrmHidden, describeCrmMark } from '../domain/crm-holdings.js';

const KIND_WORDS = { customer: 'customers', partner: 'partners', both: 'customers and partners' } as const;

/** "stages: intent 2 ms · research 6.4 s · …", or nothing for a run without stage times. */
function stageLine(stageMs: LeadsDocument['stats']['stageMs'] | undefined): string[] {
  const parts = Object.entries(stageMs ?? {}).map(
    ([stage, ms]) => `${stage} ${ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`}`,
  );
  return parts.length > 0 ? [`stages: ${parts.join(' · ')}`] : [];
}

/** The readable terminal form of a result: an aligned table, then each lead's reasons and sources. */
export function renderLeadsText(
  doc: LeadsDocument,
  companyName: string,
  width = Math.max(60, Math.min(process.stdout.columns ?? 100, 140)),
): string {
  const s = doc.stats;
  const title =
    doc.leads.length > 0
      ? `Top ${doc.leads.length} ${KIND_WORDS[doc.intent.intent]} for ${companyName}`
      : `No ${KIND_WORDS[doc.intent.intent]} found for ${companyName}`;
  const lines = [
    title,
    `run ${doc.runId} · ${(s.durationMs / 1000).toFixed(1)} s · ${s.llmCalls} LLM calls · ${s.searches} searches · ${s.cacheHits} cache hits`,
    ...s.warnings.map((warning) => `Warning: ${warning}`),
    ...crmLine(doc.crmHidden),
    ...stageLine(s.stageMs),
    '',
  ];
  const header = ['#', 'Company', 'Score', 'HQ', 'Size', 'Website'];
  const rows = doc.leads.map((lead) => [
    String(lead.rank),
    lead.name,
    String(lead.fitScore),
    lead.headquarters ?? '—',
    lead.size ?? '—',
    lead.website ?? '—',
  ]);
  const widths = header.map((title, column) =>
    Math.min(column === 1 ? 32 : 28, Math.max(title.length, ...rows.map((row) => (row[column] as string).length))),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const w = widths[column] as number;
        const text = truncate(cell, w, { wordBoundary: false });
        return column === 0 || column === 2 ? text.padStart(w) : text.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  lines.push(format(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) lines.push(format(row));
  lines.push('');
  for (const lead of doc.leads) {
    const mark = lead.crm ? ` [${describeCrmMark(lead.crm)}${lead.crm.url ? ` ${lead.crm.url}` : ''}]` : '';
    lines.push(`${lead.rank}. ${lead.name} (${lead.fitScore})${mark}`);
    for (const line of wrap(lead.rationale, width - 6)) lines.push(`    ${line}`);
    lines.push(`    Sources: ${lead.sources.join(' ')}`);
  }
  if (doc.leads.length === 0) lines.push('No leads this time.');
  return `${lines.join('\n')}\n`;
}

/** "Left out: 2 already in HubSpot (customers or open deals): Harbor Auto, Summit Motors". */
function crmLine(hidden: LeadsDocument['crmHidden']): string[] {
  if (!hidden || hidden.length === 0) return [];
  const names = hidden.map((h) => h.name).join(', ');
  return [`Left out: ${describeCrmHidden(hidden)} (customers or open deals): ${truncate(names, 200)}`];
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
