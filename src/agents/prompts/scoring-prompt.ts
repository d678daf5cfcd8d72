import type { CompanyProfile } from '../../domain/company-profile.js';
import type { IntentResult } from '../../domain/types.js';
import type { TeamPreference } from '../../domain/feedback.js';
import { clip } from '../../domain/text.js';
import { dataBlock, promptText, UNTRUSTED_DATA_RULE } from '../prompt-data.js';
import { intentWords, profileBrief } from './profile-brief.js';

export const SCREENING_SYSTEM =
  'You screen companies as B2B leads for the company described: give each a fit score from 0 (no fit) to 100 (ideal fit). ' +
  'Judge only from the company data given; a company with little evidence scores lower. ' +
  `${UNTRUSTED_DATA_RULE} Answer with JSON only: scores, no explanations.`;

export const SCORING_SYSTEM =
  'You score how well companies fit as B2B leads for the company described, from 0 (no fit) to 100 (ideal fit), ' +
  'and justify each score in one or two sentences (at most 40 words) that cite concrete facts from the company data ' +
  '(size, locations, brands, recent news). Judge only from the data given; a company with little evidence scores lower. ' +
  `${UNTRUSTED_DATA_RULE} Answer with JSON only.`;

export interface ScoringPromptCompany {
  id: number;
  name: string;
  facts: string;
  evidence: string[];
}

/** What a scoring prompt says besides the companies: the user's own words, the re-score note and the pass. */
export interface ScoringPromptFrame {
  request: string;
  note?: string;
  mode: 'screen' | 'explain';
  /** The team's latest judgements, shown as data with a sentence on how to weigh them. */
  preferences?: readonly TeamPreference[];
}

export function scoringPrompt(
  profile: CompanyProfile,
  intent: IntentResult,
  companies: ScoringPromptCompany[],
  frame: ScoringPromptFrame,
): string {
  const constraints = Object.entries(intent.constraints)
    .filter(([key]) => key !== 'count')
    .map(([key, value]) => `${key}: ${promptText(clip(String(value), 200))}`)
    .join('; ');
  const blocks = companies.map(
    // Names are page text as much as the facts are: both stay inside the data block.
    (c) =>
      `Company ${c.id}\n${dataBlock(`company ${c.id}`, [`Name: ${c.name}`, c.facts, ...c.evidence.map((e) => `- ${e}`)].join('\n'))}`,
  );
  return [
    profileBrief(profile, intent.intent),
    `We want ${intentWords(intent.intent)}.${constraints ? ` The request asks for: ${constraints}.` : ''}`,
    dataBlock('request', clip(frame.request, 500)),
    // The note comes from the signed-in user, so it is guidance, unlike web text; it is clipped, flattened, made
    // unable to open or close a data block, and kept in its own element so no note can pose as part of the prompt.
    ...(frame.note
      ? [
          `Guidance from the sales person for this scoring:\n<guidance>${promptText(clip(frame.note, 500)).replace(/[<>"]/g, "'")}</guidance>`,
        ]
      : []),
    ...(frame.preferences?.length ? [teamPreferences(frame.preferences)] : []),
    ...blocks,
    frame.mode === 'screen'
      ? 'Return {"scores": [{"id", "name", "fit"}]} with one entry per company id, the name copied from its data.'
      : 'Return {"scores": [{"id", "name", "fitScore", "rationale"}]} with one entry per company id, the name copied from its data.',
  ].join('\n\n');
}

/**
 * The team's recent marks as preferences. Names, facts and reasons come from the web and from people, so they stay
 * inside a data block; only the sentence saying how to use them is ours.
 */
export function teamPreferences(preferences: readonly TeamPreference[]): string {
  const lines = preferences.map((p) => {
    const verdict = p.verdict === 'good_fit' ? 'Good fit' : 'Not a fit';
    const facts = p.facts ? ` (${clip(p.facts, 160)})` : '';
    const reason = p.reason ? `. Reason: ${clip(p.reason, 160)}` : '';
    return `${verdict}: ${clip(p.name, 80)}${facts}${reason}`;
  });
  return [
    'This sales team marked earlier leads as below. Treat the marks as their preferences: score companies that resemble their "Good fit" marks higher and companies that resemble their "Not a fit" marks lower.',
    dataBlock('team preferences', lines.join('\n')),
  ].join('\n');
}
