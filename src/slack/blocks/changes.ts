import type { RankChange } from '../../domain/types.js';
import { escapeAndFit, fitEscaped } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import type { KnownBlock } from '@slack/types';

/** "What changed" after a re-score: moved up, moved down, new; a line per kind in one section. */
export function renderChanges(changes: readonly RankChange[], note?: string): KnownBlock[] {
  const up = changes.filter((c) => c.change === 'up').map((c) => `${escapeAndFit(c.name, 60)} (${c.from} → ${c.to})`);
  const down = changes
    .filter((c) => c.change === 'down')
    .map((c) => `${escapeAndFit(c.name, 60)} (${c.from} → ${c.to})`);
  const fresh = changes.filter((c) => c.change === 'new').map((c) => `${escapeAndFit(c.name, 60)} (#${c.to})`);
  const lines: string[] = [];
  if (note) lines.push(`Re-scored with your note: “${escapeAndFit(note, 500)}”`);
  else lines.push('Re-scored.');
  if (up.length) lines.push(`*Moved up:* ${up.join(', ')}`);
  if (down.length) lines.push(`*Moved down:* ${down.join(', ')}`);
  if (fresh.length) lines.push(`*New:* ${fresh.join(', ')}`);
  if (!up.length && !down.length && !fresh.length) lines.push('The order did not change.');
  const text = lines.join('\n');
  return [{ type: 'section', text: { type: 'mrkdwn', text: fitEscaped(text, SLACK_LIMITS.sectionText) } }];
}
