import { CRM_NAMES, describeCrmHidden, describeCrmMark, type CrmHidden } from '../../domain/crm-holdings.js';
import type { Lead } from '../../domain/types.js';
import { escapeAndFit, fit, mrkdwnLink, plainText, safeHttpUrl } from './escape.js';
import { plural } from './labels.js';
import type { RichTextElement } from '@slack/types';
import { SLACK_LIMITS } from './limits.js';
import type { KnownBlock } from '@slack/types';

// What the team's CRM holds, as a result shows it: a mark on a lead it holds ("in HubSpot: lead", linked to the
// record), a line saying how many it kept out, and those companies under Show hidden.

/** " · <record|in HubSpot: lead>" after a lead's sources; empty when the CRM does not hold it. */
export function crmMarkMrkdwn(lead: Lead): string {
  return lead.crm ? ` · ${mrkdwnLink(lead.crm.url, describeCrmMark(lead.crm), 80)}` : '';
}

/** The mark as rich-text elements for the table's company cell (plain text, linked when the record has a URL). */
export function crmMarkElements(lead: Lead): RichTextElement[] {
  if (!lead.crm) return [];
  const text = fit(describeCrmMark(lead.crm), 80);
  const url = safeHttpUrl(lead.crm.url);
  return [{ type: 'text', text: ' · ' }, url ? { type: 'link', url, text } : { type: 'text', text }];
}

/** "4 already in HubSpot (customers or open deals) are left out. Show hidden lists them." */
export function crmHiddenNote(hidden: readonly CrmHidden[]): string {
  return `:card_index_dividers: ${describeCrmHidden(hidden)} (customers or open deals) ${hidden.length === 1 ? 'is' : 'are'} left out. *Show hidden* lists ${hidden.length === 1 ? 'it' : 'them'}.`;
}

const STANDING_WORDS = { customer: 'customer', open_deal: 'open deal', other: 'held' } as const;

/** Show hidden's part for the CRM: each company it kept out, why, and a link to its record (no Undo: the CRM decides). */
export function renderCrmHiddenBlocks(hidden: readonly CrmHidden[], room: number): KnownBlock[] {
  if (hidden.length === 0 || room <= 0) return [];
  const title = `*${plural(hidden.length, 'company', 'companies')} your CRM already holds*`;
  const lines = hidden.map((company) => {
    const where = `${STANDING_WORDS[company.standing]} in ${CRM_NAMES[company.system]}`;
    const label =
      company.label && company.label !== STANDING_WORDS[company.standing] ? ` (${plainText(company.label)})` : '';
    return `• ${mrkdwnLink(company.url, company.name, 100)} (${escapeAndFit(company.domain, 80)}): ${where}${escapeAndFit(label, 80)}`;
  });
  let text = [title, ...lines].join('\n');
  if (text.length > SLACK_LIMITS.sectionText)
    text = `${text.slice(0, SLACK_LIMITS.sectionText - 2).replace(/\n[^\n]*$/, '')}\n…`;
  return [{ type: 'section', text: { type: 'mrkdwn', text } }];
}
