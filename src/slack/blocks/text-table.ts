import { collapseWhitespace } from '../../domain/text.js';
import { escapeText, plainText } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import type { Lead } from '../../domain/types.js';
import type { KnownBlock } from '@slack/types';

const COLUMNS: { title: string; width: number; value: (lead: Lead) => string }[] = [
  { title: '#', width: 3, value: (lead) => String(lead.rank) },
  { title: 'Company', width: 28, value: (lead) => lead.name },
  { title: 'HQ', width: 20, value: (lead) => lead.headquarters ?? '' },
  { title: 'Size', width: 14, value: (lead) => lead.size ?? '' },
  { title: 'Score', width: 5, value: (lead) => String(Math.round(lead.fitScore)) },
  { title: 'Why', width: 60, value: (lead) => lead.rationale },
];

/** The degraded form of the leads table: fixed-width lines in code blocks, split to fit section limits. */
export function renderTextTable(leads: readonly Lead[]): KnownBlock[] {
  const lines = [headerLine(), ...leads.map(leadLine)];
  const sections: KnownBlock[] = [];
  let current: string[] = [];
  const fence = '```';
  const budget = SLACK_LIMITS.sectionText - fence.length * 2 - 2;
  for (const line of lines) {
    const size = current.reduce((sum, l) => sum + l.length + 1, 0);
    if (current.length > 0 && size + line.length + 1 > budget) {
      sections.push(codeSection(current));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) sections.push(codeSection(current));
  return sections;
}

function codeSection(lines: string[]): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`\n${lines.join('\n')}\n\`\`\`` } };
}

function headerLine(): string {
  return COLUMNS.map((c) => pad(c.title, c.width))
    .join(' ')
    .trimEnd();
}

function leadLine(lead: Lead): string {
  // Inside a code block Slack applies no formatting, but &, < and > are still control characters and a backtick would end it.
  return COLUMNS.map((c) => pad(escapeText(flatten(c.value(lead)).replace(/`/g, "'")), c.width))
    .join(' ')
    .trimEnd();
}

function flatten(text: string): string {
  return collapseWhitespace(plainText(text));
}

/** Pads or cuts to an exact width; escaping happened first so an entity may be cut, which only shortens text. */
function pad(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  const cut = chars
    .slice(0, width - 1)
    .join('')
    .replace(/&[a-z]{0,5}$/, '');
  return cut + '…' + ' '.repeat(Math.max(0, width - 1 - Array.from(cut).length));
}
