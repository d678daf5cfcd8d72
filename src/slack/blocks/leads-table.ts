import type { LeadsDocument, Lead, RankChange } from '../../domain/types.js';
import { collapseWhitespace } from '../../domain/text.js';
import { escapeAndFit, fit, hostOf, mrkdwnLink, safeHttpUrl } from './escape.js';
import { formatDuration, intentNoun, plural, slackDate } from './labels.js';
import { renderSourcesWithFeedback } from './lead-feedback.js';
import { SLACK_LIMITS } from './limits.js';
import { renderTextTable } from './text-table.js';
import type { Button, KnownBlock, RichTextElement, TableBlock } from '@slack/types';
import { ACTION_IDS } from './ids.js';
import type { Attachment, SlackMessage } from './message.js';
import { renderChanges } from './changes.js';
import { crmHiddenNote, crmMarkElements, crmMarkMrkdwn } from './crm-marks.js';
import type { CrmHidden } from '../../domain/crm-holdings.js';

/** How the result message is framed (company name, re-score changes, fallback form). */
export interface LeadsMessageOptions {
  /** The company the leads are for ("AxleWave"), from the profile. */
  companyName: string;
  /** Shown above the table after a re-score. */
  changes?: readonly RankChange[];
  note?: string;
  /** 'text' skips the table block (used when Slack refused the table form). */
  form?: 'table' | 'text';
  /** Gives each lead a menu of the team's marks (Good fit, Not a fit, Already a customer, Wrong company info). */
  feedback?: boolean;
  /** Adds "Send to HubSpot" (the app has a HubSpot token). */
  hubspot?: boolean;
  /** Adds "Send to Salesforce" (the app has Salesforce credentials). */
  salesforce?: boolean;
  /** How many companies the team's feedback kept out: said under the summary, with a button to show them. */
  hidden?: number;
  /** Companies the team's CRM holds as customers or open deals, left out: counted under the summary, in Show hidden. */
  crmHidden?: readonly CrmHidden[];
  /** Set when a scheduled run's result answers the request: its age is shown, and Refresh runs it fresh. */
  answeredFrom?: { finishedAt: string };
  /** Replaces "Top N … for …" (digests). */
  title?: string;
  /** Blocks under the summary (a digest's returning companies). */
  extraHead?: KnownBlock[];
}

/** The buttons under a result, by what the message offers. */
export interface ResultControls {
  hubspot?: boolean;
  salesforce?: boolean;
  hidden?: number;
  refresh?: boolean;
}

/** Rationale lengths tried in turn until the table fits Slack's 10,000-character budget. */
const RATIONALE_STEPS = [600, 300, 160, 80] as const;
const CELL_CAPS = { name: 100, headquarters: 80, size: 60 } as const;
const SOURCES_PER_LEAD = 3;
const COLUMN_SETTINGS: TableBlock['column_settings'] = [
  { align: 'right' },
  { is_wrapped: true },
  { is_wrapped: true },
  { is_wrapped: true },
  { align: 'right' },
  { is_wrapped: true },
];

/** The result message: header, summary, one `table` (in attachments), sources, Re-score and Export buttons. */
export function renderLeadsMessage(doc: LeadsDocument, options: LeadsMessageOptions): SlackMessage {
  const noun = intentNoun(doc.intent.intent);
  const leads = doc.leads.slice(0, SLACK_LIMITS.tableRows - 1);
  // Never "Top 0": an empty result is reported as a failure upstream, and says so here too if it ever arrives.
  const title = fit(
    options.title ??
      (leads.length > 0
        ? `Top ${leads.length} ${noun} for ${options.companyName}`
        : `No ${noun} found for ${options.companyName}`),
    SLACK_LIMITS.headerText,
  );
  const head: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title, emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: summaryLine(doc, leads.length, options.answeredFrom) } },
    ...resultNotes(options),
  ];
  if (doc.stats.warnings.length > 0) head.push(renderWarnings(doc.stats.warnings));
  if (options.changes) head.push(...renderChanges(options.changes, options.note));
  head.push(...(options.extraHead ?? []));
  const text = fallbackText(title, leads, doc.stats.warnings);
  const controls: ResultControls = {
    hubspot: options.hubspot,
    salesforce: options.salesforce,
    hidden: (options.hidden ?? 0) + (options.crmHidden?.length ?? 0),
    refresh: options.answeredFrom !== undefined,
  };
  if (leads.length === 0) {
    const none: KnownBlock = {
      type: 'section',
      text: { type: 'mrkdwn', text: 'No company in the search results fitted the request well enough to list.' },
    };
    return { text, blocks: [...head, none, ...(controls.hidden ? [renderActions(doc.runId, controls)] : [])] };
  }
  const actions = renderActions(doc.runId, controls);
  const table = options.form === 'text' ? null : fittingTable(leads);
  if (table) {
    const budget = SLACK_LIMITS.blocksPerMessage - head.length - 2;
    const sources = options.feedback
      ? renderSourcesWithFeedback(leads, doc.runId, budget, sourceLine)
      : renderSources(leads);
    const attachment: Attachment = { blocks: [table, ...sources, actions] };
    if (head.length + attachment.blocks.length <= SLACK_LIMITS.blocksPerMessage)
      return { text, blocks: head, attachments: [attachment] };
  }
  return renderDegraded(doc.runId, head, leads, text, controls, options.feedback);
}

/** The text-table form, used when even the shortest rationales would break the table's limits. */
export function renderDegraded(
  runId: string,
  head: KnownBlock[],
  leads: readonly Lead[],
  text: string,
  controls: ResultControls = {},
  feedback = false,
): SlackMessage {
  const body = renderTextTable(leads);
  const actions = renderActions(runId, controls);
  const budget = SLACK_LIMITS.blocksPerMessage - head.length - body.length - 1;
  const sources = feedback ? renderSourcesWithFeedback(leads, runId, budget, sourceLine) : renderSources(leads);
  const withSources = [...head, ...body, ...sources, actions];
  if (withSources.length <= SLACK_LIMITS.blocksPerMessage) return { text, blocks: withSources };
  const note: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: 'Sources are in the CSV export.' }] };
  const blocks = [...head, ...body].slice(0, SLACK_LIMITS.blocksPerMessage - 2);
  return { text, blocks: [...blocks, note, actions] };
}

/** The first table, with rationales shortened step by step, that fits the character budget; null if none does. */
export function fittingTable(leads: readonly Lead[]): TableBlock | null {
  for (const rationaleCap of RATIONALE_STEPS) {
    const table = renderTable(leads, rationaleCap);
    if (tableChars(table) <= SLACK_LIMITS.tableChars) return table;
  }
  return null;
}

/** A Block Kit table (cells are plain text, not mrkdwn): header row, then rank, company (linked when http(s)), HQ, size, score, why. */
export function renderTable(leads: readonly Lead[], rationaleCap: number): TableBlock {
  const header = ['#', 'Company', 'HQ', 'Size', 'Score', 'Why'].map(raw);
  const rows = leads.map((lead) => [
    raw(String(lead.rank)),
    companyCell(lead),
    raw(fit(lead.headquarters ?? '—', CELL_CAPS.headquarters)),
    raw(fit(lead.size ?? '—', CELL_CAPS.size)),
    raw(String(Math.round(lead.fitScore))),
    raw(fit(collapseWhitespace(lead.rationale) || '—', rationaleCap)),
  ]);
  return { type: 'table', column_settings: COLUMN_SETTINGS, rows: [header, ...rows] };
}

/** Characters a table holds, as Slack counts them against its 10,000 limit (cell text and link targets). */
export function tableChars(table: TableBlock): number {
  let total = 0;
  for (const cell of table.rows.flat()) {
    if (cell.type !== 'rich_text') total += cell.text.length;
    else
      for (const part of cell.elements)
        if (part.type === 'rich_text_section') for (const el of part.elements) total += textAndUrlLength(el);
  }
  return total;
}

function textAndUrlLength(element: RichTextElement): number {
  return ('text' in element ? (element.text?.length ?? 0) : 0) + ('url' in element ? (element.url?.length ?? 0) : 0);
}

/** One cell of a table row. */
type TableCell = TableBlock['rows'][number][number];

function raw(text: string): TableCell {
  return { type: 'raw_text', text };
}

function companyCell(lead: Lead): TableCell {
  // raw_text and rich-text link text are plain text to Slack: entities would be shown literally.
  const name = fit(lead.name, CELL_CAPS.name);
  const url = safeHttpUrl(lead.website);
  const mark = crmMarkElements(lead);
  if (!url && mark.length === 0) return raw(name);
  return {
    type: 'rich_text',
    elements: [
      {
        type: 'rich_text_section',
        elements: [url ? { type: 'link', url, text: name } : { type: 'text', text: name }, ...mark],
      },
    ],
  };
}

function summaryLine(doc: LeadsDocument, shown: number, answeredFrom?: { finishedAt: string }): string {
  const asked = `*${plural(shown, 'lead')}* ranked by fit for “${escapeAndFit(collapseWhitespace(doc.request), 300)}”`;
  if (answeredFrom) return `${asked} · from ${slackDate(new Date(answeredFrom.finishedAt))}`;
  const parts = [
    asked,
    plural(doc.stats.searches, 'search', 'searches'),
    plural(doc.stats.llmCalls, 'model call'),
    formatDuration(doc.stats.durationMs),
  ];
  return parts.join(' · ');
}

/** The warning line above the table ("only 3 leads qualified"): visible, not buried in the summary. */
export function renderWarnings(warnings: readonly string[]): KnownBlock {
  const text = escapeAndFit(warnings.map((w) => `:warning: ${w}`).join('\n'), SLACK_LIMITS.contextElementText);
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** Lines under the summary: where an instant answer came from, and how many companies feedback hid. */
function resultNotes(options: LeadsMessageOptions): KnownBlock[] {
  const lines: string[] = [];
  if (options.answeredFrom) {
    lines.push(
      `:zap: Answered at once from the scheduled run of ${slackDate(new Date(options.answeredFrom.finishedAt))}. *Refresh* searches the web again.`,
    );
  }
  if (options.crmHidden?.length) lines.push(crmHiddenNote(options.crmHidden));
  if (options.hidden)
    lines.push(
      `:see_no_evil: ${plural(options.hidden, 'company', 'companies')} hidden by your team's feedback. *Show hidden* lists ${options.hidden === 1 ? 'it' : 'them'}.`,
    );
  return lines.length > 0 ? [{ type: 'context', elements: lines.map((text) => ({ type: 'mrkdwn', text })) }] : [];
}

/** "3. Harbor Auto: news.example.com, harborauto.com +1 more": a lead's sources as compact links. */
export function sourceLine(lead: Lead): string {
  const seen = new Map<string, number>();
  const links = lead.sources
    .filter((s) => safeHttpUrl(s))
    .slice(0, SOURCES_PER_LEAD)
    .map((s) => {
      const host = hostOf(s);
      const n = (seen.get(host) ?? 0) + 1;
      seen.set(host, n);
      return mrkdwnLink(s, n === 1 ? host : `${host} (${n})`, 80);
    });
  const more = lead.sources.length - links.length;
  const tail = more > 0 ? ` +${more} more` : '';
  const text = `${lead.rank}. ${escapeAndFit(lead.name, 60)}: ${links.join(', ') || 'no web link'}${tail}${crmMarkMrkdwn(lead)}`;
  return text.length <= SLACK_LIMITS.contextElementText ? text : escapeAndFit(lead.name, 60);
}

/** Sources per lead as compact links, ten leads per context block (Slack's element limit). */
export function renderSources(leads: readonly Lead[]): KnownBlock[] {
  const elements = leads.map((lead) => ({ type: 'mrkdwn' as const, text: sourceLine(lead) }));
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + SLACK_LIMITS.contextElements) });
  }
  return blocks;
}

/** Re-score and Export CSV (and, when offered, HubSpot, Salesforce, hidden companies, Refresh), each carrying the run id the
 * handlers check against the workspace and channel. */
export function renderActions(runId: string, controls: ResultControls = {}): KnownBlock {
  const button = (action_id: string, text: string, style?: 'primary'): Button => ({
    type: 'button',
    action_id,
    text: { type: 'plain_text', text },
    value: runId,
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: 'leads_actions',
    elements: [
      ...(controls.refresh ? [button(ACTION_IDS.refresh, 'Refresh')] : []),
      button(ACTION_IDS.rescore, 'Re-score'),
      button(ACTION_IDS.export, 'Export CSV', 'primary'),
      ...(controls.hubspot ? [button(ACTION_IDS.hubspot, 'Send to HubSpot')] : []),
      ...(controls.salesforce ? [button(ACTION_IDS.salesforce, 'Send to Salesforce')] : []),
      ...(controls.hidden ? [button(ACTION_IDS.showHidden, `Show hidden (${controls.hidden})`)] : []),
    ],
  };
}

function fallbackText(title: string, leads: readonly Lead[], warnings: readonly string[]): string {
  const lines = leads.map((lead) => `${lead.rank}. ${lead.name} (${Math.round(lead.fitScore)})`);
  return escapeAndFit(
    [`${title}:`, ...warnings.map((w) => `Warning: ${w}`), ...lines].join('\n'),
    SLACK_LIMITS.fallbackText,
  );
}
