import { MAX_LINK_URL } from './limits.js';

/** Text from the web or a user, made inert for mrkdwn: no @channel pings, no forged <links>. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Strips control characters that would garble a message (keeps tab and newline). */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, '');
}

/** Escapes and shortens to at most `max` characters of escaped text, ending with "…" when cut;
 * cuts before an entity or a surrogate pair, never through one. */
export function escapeAndFit(text: string, max: number): string {
  const full = escapeText(cleanText(text));
  if (full.length <= max) return full;
  let out = '';
  for (const char of cleanText(text)) {
    const piece = escapeText(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out.trimEnd()}…`;
}

/** Shortens unescaped text (plain_text fields, CSV-free contexts) to `max` characters. */
export function fit(text: string, max: number): string {
  const clean = cleanText(text);
  if (clean.length <= max) return clean;
  let out = '';
  for (const char of clean) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out.trimEnd()}…`;
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
