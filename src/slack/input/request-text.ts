import type { IntentKind } from '../../domain/types.js';
import { collapseWhitespace, truncate } from '../../domain/text.js';

/** The longest request we run; Slack allows far more, and nobody types a 10,000-character lead request. */
export const MAX_REQUEST_CHARS = 1000;

/** What a /leads or mention text asks for. */
export type ParsedRequest =
  | { kind: 'help' }
  | { kind: 'usage'; problem: string }
  | { kind: 'run'; text: string; intent?: IntentKind }
  /** `/leads schedule <daily|weekly|"cron"> <request>`: `rest` still holds the cadence, read with the time zone. */
  | { kind: 'schedule'; rest: string }
  | { kind: 'schedules' };

const KIND_WORDS: Record<string, IntentKind> = {
  customer: 'customer',
  customers: 'customer',
  partner: 'partner',
  partners: 'partner',
  both: 'both',
};

/** Reads `/leads` or mention text: help, a run, or a reason to show usage instead (nothing runs). */
export function parseLeadsRequest(raw: string): ParsedRequest {
  if (raw.length > MAX_REQUEST_CHARS * 4)
    return { kind: 'usage', problem: `That request is too long (over ${MAX_REQUEST_CHARS} characters).` };
  if (hasBinary(raw)) return { kind: 'usage', problem: 'That request contains characters that are not text.' };
  const text = collapseWhitespace(slackToPlain(raw));
  if (text === '') return { kind: 'help' };
  if (text.length > MAX_REQUEST_CHARS)
    return { kind: 'usage', problem: `That request is too long (over ${MAX_REQUEST_CHARS} characters).` };
  const withoutEmoji = text.replace(/:[a-z0-9_+'-]+:/gi, ' ');
  if (!/[\p{L}\p{N}]/u.test(withoutEmoji)) return { kind: 'usage', problem: 'That request has no words in it.' };
  const words = text.split(' ');
  const first = (words[0] ?? '').toLowerCase();
  if (first === 'help' || first === '-h' || first === '--help' || first === '?') return { kind: 'help' };
  if (first === 'schedules' && words.length === 1) return { kind: 'schedules' };
  if (first === 'schedule') {
    if (words.length === 1)
      return {
        kind: 'usage',
        problem: '`schedule` needs how often and what, e.g. `/leads schedule weekly customers in Texas`.',
      };
    return { kind: 'schedule', rest: text.slice(text.indexOf(' ') + 1) };
  }
  if (first === 'find') {
    const kind = KIND_WORDS[(words[1] ?? '').toLowerCase()];
    if (kind) return { kind: 'run', text: canonicalFind(kind, words.slice(2).join(' ')), intent: kind };
    if (words.length === 1) return { kind: 'usage', problem: '`find` needs `customers`, `partners` or `both`.' };
  }
  const alone = KIND_WORDS[first];
  if (words.length === 1) {
    if (alone) return { kind: 'run', text: canonicalFind(alone, ''), intent: alone };
    return { kind: 'usage', problem: `I don't know the command \`${truncate(first, 40)}\`.` };
  }
  return { kind: 'run', text };
}

/** The request a schedule runs: what follows its cadence, read as `/leads` would read it ("customers" alone too). */
export function parseScheduledRequest(
  rest: string,
): { kind: 'run'; text: string; intent?: IntentKind } | { kind: 'usage'; problem: string } {
  // "weekly customers in Texas" means "find customers in Texas", so it is the same request people type.
  const firstWord = rest.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const parsed = parseLeadsRequest(KIND_WORDS[firstWord] ? `find ${rest.trim()}` : rest);
  if (parsed.kind === 'run') return parsed;
  if (parsed.kind === 'usage') return parsed;
  return {
    kind: 'usage',
    problem: 'Say what the digest should look for, e.g. `/leads schedule weekly customers in Texas`.',
  };
}

/** The request text the pipeline reads for `find <kind> [rest]`. */
function canonicalFind(kind: IntentKind, rest: string): string {
  const noun =
    kind === 'customer'
      ? 'potential customers'
      : kind === 'partner'
        ? 'potential partners'
        : 'potential customers and partners';
  return rest ? `find ${noun} ${rest}` : `find ${noun}`;
}

/** Slack's wire format to plain words: entities decoded, <url|label> to label, mentions dropped.
 * One forward scan (a `<` with no `>` after it ends the markup), so a hostile text cannot stall it. */
export function slackToPlain(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<'); open >= 0; open = text.indexOf('<', from)) {
    const close = text.indexOf('>', open + 1);
    if (close < 0) break;
    const inside = text.slice(open + 1, close);
    const bar = inside.indexOf('|');
    const shown = /^[@#!]/.test(inside) ? ' ' : bar >= 0 ? inside.slice(bar + 1) : inside;
    out += text.slice(from, open) + shown;
    from = close + 1;
  }
  return (out + text.slice(from)).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function hasBinary(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(text);
}
