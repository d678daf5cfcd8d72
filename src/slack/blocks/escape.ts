import { clipRaw, stripInvisible, truncate } from '../../domain/text.js';
import { MAX_LINK_URL } from './limits.js';

// Slack's documented rules differ per field type: in mrkdwn, &, < and > are control characters and must be
// written as entities; plain_text, a table's raw_text and rich-text text are shown as given, so entities there
// would be shown literally ("AT&amp;T"). Every field loses invisible characters (zero-width, right-to-left override).

/** Slack's three mrkdwn control characters as entities: no @channel pings, no forged <links>. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Slack has no escape for its formatting marks, so text from the web gets look-alikes that it does not format.
const FORMATTING_LOOKALIKES: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Text from the web or a user, inert in mrkdwn: escaped, formatting marks neutralised, invisible characters gone.
 * A mark inside a word ("OLLAMA_HOST", "5*3") cannot format anything and stays. */
export function mrkdwnText(text: string): string {
  const visible = stripInvisible(text);
  const inert = visible.replace(/[*_~`]/g, (mark, at: number) => {
    const insideWord = mark !== '`' && WORD_CHAR.test(visible.charAt(at - 1)) && WORD_CHAR.test(visible.charAt(at + 1));
    return insideWord ? mark : (FORMATTING_LOOKALIKES[mark] as string);
  });
  return escapeText(inert);
}

/** Text for plain_text, raw_text and rich-text fields: shown as given, so only invisible characters go. */
export function plainText(text: string): string {
  return stripInvisible(text);
}

/** mrkdwn-safe text in at most `max` characters, ending with "…" when cut; cuts before an entity, never through one. */
export function escapeAndFit(text: string, max: number): string {
  const full = mrkdwnText(text);
  if (full.length <= max) return full;
  let out = '';
  for (const char of plainText(clipRaw(text, max * 2))) {
    const piece = mrkdwnText(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out.trimEnd()}…`;
}

/** Already-escaped mrkdwn cut to `max` characters with "…", never through an entity ("&am…"). */
export function fitEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${clipRaw(escaped, max - 1).replace(/&[a-z]{0,5}$/, '')}…`;
}

/** Plain text (plain_text, raw_text, rich-text link text) in at most `max` characters. */
export function fit(text: string, max: number): string {
  return truncate(plainText(text), max, { wordBoundary: false });
}

/** An http(s) address safe inside `<url|label>`, or null for javascript:, data:, mailto:, relative or huge ones. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const href = url.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/ /g, '%20');
  return href.length <= MAX_LINK_URL ? href : null;
}

/** A mrkdwn link whose label cannot break out of `<url|label>`; unsafe addresses become plain text. */
export function mrkdwnLink(url: string | null | undefined, label: string, maxLabel = 200): string {
  const safe = safeHttpUrl(url);
  const text = escapeAndFit(label, maxLabel);
  return safe ? `<${safe}|${text}>` : text;
}

/** The host of an address for a short link label ("autonation.com"). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}
