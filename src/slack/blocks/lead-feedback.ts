import { FEEDBACK_LABELS, feedbackKinds, leadRef, type FeedbackKind } from '../../domain/feedback.js';
import type { Lead } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import type { KnownBlock, Overflow } from '@slack/types';
import { ACTION_IDS } from './ids.js';

/** The lead a feedback choice names: the run, the mark, and a short reference to the lead within the run. */
export interface FeedbackChoice {
  kind: FeedbackKind;
  runId: string;
  lead: string;
}

/** The "…" menu of the team's marks for one lead; each option carries the run and the lead back. */
export function feedbackMenu(runId: string, lead: Pick<Lead, 'name' | 'website'>): Overflow {
  return {
    type: 'overflow',
    action_id: ACTION_IDS.feedback,
    options: feedbackKinds.map((kind) => ({
      text: { type: 'plain_text', text: FEEDBACK_LABELS[kind] },
      value: `${kind}|${runId}|${leadRef(lead)}`.slice(0, SLACK_LIMITS.optionValue),
    })),
  };
}

/** Reads a menu choice back; null when it is not one of ours (forged or garbled). */
export function parseFeedbackChoice(value: string | undefined): FeedbackChoice | null {
  const [kind, runId, lead, ...rest] = (value ?? '').split('|');
  if (rest.length > 0 || !kind || !runId || !lead) return null;
  if (!(feedbackKinds as readonly string[]).includes(kind)) return null;
  return { kind: kind as FeedbackKind, runId, lead };
}

/**
 * Each lead's sources as one line, with the marks menu beside it, within `budget` blocks. Sections with a menu
 * come first; when there are more leads than fit, the rest share context blocks (ten lines each) without menus.
 */
export function renderSourcesWithFeedback(
  leads: readonly Lead[],
  runId: string,
  budget: number,
  lineOf: (lead: Lead) => string,
): KnownBlock[] {
  let withMenu = Math.min(leads.length, Math.max(0, budget));
  while (withMenu > 0 && withMenu + Math.ceil((leads.length - withMenu) / SLACK_LIMITS.contextElements) > budget)
    withMenu -= 1;
  const sections: KnownBlock[] = leads.slice(0, withMenu).map((lead) => ({
    type: 'section',
    block_id: `lead_${lead.rank}`,
    text: { type: 'mrkdwn', text: lineOf(lead) || escapeAndFit(lead.name, 60) },
    accessory: feedbackMenu(runId, lead),
  }));
  const rest = leads.slice(withMenu).map((lead) => ({ type: 'mrkdwn' as const, text: lineOf(lead) }));
  const contexts: KnownBlock[] = [];
  for (let i = 0; i < rest.length; i += SLACK_LIMITS.contextElements)
    contexts.push({ type: 'context', elements: rest.slice(i, i + SLACK_LIMITS.contextElements) });
  return [...sections, ...contexts];
}
