import type { CompanyChange, DigestDiff } from '../../domain/digest.js';
import type { LeadsDocument } from '../../domain/types.js';
import type { Schedule } from '../../domain/schedule.js';
import type { CrmHidden } from '../../domain/crm-holdings.js';
import { escapeAndFit } from './escape.js';
import { cadenceTitle, describeCadence, intentNoun, mentionUser, plural } from './labels.js';
import { renderLeadsMessage, renderActions } from './leads-table.js';
import { SLACK_LIMITS } from './limits.js';
import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './message.js';

/** How a digest result is framed besides its leads. */
export interface DigestOptions {
  companyName: string;
  /** The channel had no digest before: every company is new, and the message says so. */
  first: boolean;
  hubspot?: boolean;
  salesforce?: boolean;
  hidden?: number;
  /** Companies the team's CRM holds as customers or open deals, left out of the digest. */
  crmHidden?: readonly CrmHidden[];
  /** 'text' when Slack refused the table form. */
  form?: 'table' | 'text';
}

/** The digest's parent message, which its progress and result thread under. */
export function renderDigestParent(schedule: Schedule, companyName: string): SlackMessage {
  const title = `${cadenceTitle(schedule.cadence)} digest: ${intentNoun(schedule.intent)} for ${escapeAndFit(companyName, 80)}`;
  const text = `:newspaper: *${title}*, scheduled by ${mentionUser(schedule.createdBy)} (${describeCadence(schedule)})`;
  return {
    text: `${title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `“${escapeAndFit(schedule.request, 500)}”` }] },
    ],
  };
}

/**
 * The digest result: the table holds only companies no earlier digest of the channel showed (their menus take
 * feedback as any result's do); returning companies are listed only when something about them changed.
 */
export function renderDigestMessage(doc: LeadsDocument, diff: DigestDiff, options: DigestOptions): SlackMessage {
  const noun = intentNoun(doc.intent.intent);
  const returning = returningBlocks(diff);
  if (diff.fresh.length === 0) {
    const title = `No new ${noun} since the last digest`;
    const summary = `The top ${plural(doc.leads.length, 'company', 'companies')} for “${escapeAndFit(doc.request, 300)}” were all in earlier digests.`;
    return {
      text: `${title}. ${summary}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: title, emoji: false } },
        { type: 'section', text: { type: 'mrkdwn', text: summary } },
        ...returning,
        renderActions(doc.runId, {
          hubspot: options.hubspot,
          salesforce: options.salesforce,
          hidden: (options.hidden ?? 0) + (options.crmHidden?.length ?? 0),
        }),
      ],
    };
  }
  const title = options.first
    ? `Top ${diff.fresh.length} ${noun} for ${options.companyName}`
    : diff.fresh.length === 1
      ? '1 new lead since the last digest'
      : `${diff.fresh.length} new ${noun} since the last digest`;
  return renderLeadsMessage(
    { ...doc, leads: diff.fresh },
    {
      companyName: options.companyName,
      title,
      extraHead: returning,
      feedback: true,
      hubspot: options.hubspot,
      salesforce: options.salesforce,
      hidden: options.hidden,
      crmHidden: options.crmHidden,
      form: options.form,
    },
  );
}

const FIELD_NAMES: Record<CompanyChange['field'], string> = {
  fitScore: 'fit',
  size: 'size',
  headquarters: 'HQ',
  industry: 'industry',
  website: 'website',
};

/** "Back with news" for returning companies that changed, and a count of those that did not. */
function returningBlocks(diff: DigestDiff): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (diff.changed.length > 0) {
    const lines = diff.changed.map(({ lead, changes }) => {
      const what = changes
        .map((c) => `${FIELD_NAMES[c.field]} ${escapeAndFit(c.from, 60)} → ${escapeAndFit(c.to, 60)}`)
        .join('; ');
      return `• *${escapeAndFit(lead.name, 80)}* (#${lead.rank}): ${what}`;
    });
    let text = `*Back with news* (in earlier digests, changed since):\n${lines.join('\n')}`;
    if (text.length > SLACK_LIMITS.sectionText)
      text = `${text.slice(0, SLACK_LIMITS.sectionText - 1).replace(/&[a-z]*$/, '')}…`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (diff.unchanged.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${plural(diff.unchanged.length, 'company', 'companies')} from earlier digests still rank here with nothing new.`,
        },
      ],
    });
  }
  return blocks;
}
