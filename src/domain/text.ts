import { decodeHTML } from 'entities';

// The one place text is clipped, flattened and stripped of invisible characters. Every step is linear in the
// input (character loops or regexes without nested quantifiers), so no page, however hostile, can stall a run.

/** Raw characters read from any one web field (title, snippet) before anything else looks at it. */
export const WEB_TEXT_BUDGET = 16_000;

/** The first `max` UTF-16 units of `text`, never ending inside a surrogate pair. */
export function clipRaw(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

// Cc (controls), Cf (format: zero-width, bidi overrides, soft hyphen, tags), Cs (lone surrogates), U+FFFD;
// tab, newline and carriage return stay where lines matter.
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Cs}\uFFFD]/gu;

/** Removes control and format characters (zero-width, right-to-left override, NUL, ESC…); tab and line breaks stay. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** One line of single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** HTML entities decoded (every named and numeric one, by the `entities` library). */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

/** Text with HTML-like tags removed: a `<` opens a tag only before a letter, `/`, `!` or `?`, as in HTML;
 * one forward scan, so a page of a million `<` with no `>` costs one pass, not a million. */
export function stripTags(text: string, replacement = ' '): string {
  let out = '';
  let from = 0;
  let closeAfter = 0;
  for (let open = text.indexOf('<'); open >= 0; open = text.indexOf('<', open + 1)) {
    if (open < from || !startsTag(text.charCodeAt(open + 1))) continue;
    if (closeAfter !== -1 && closeAfter <= open) closeAfter = text.indexOf('>', open + 1);
    // No `>` anywhere after this point: nothing later can be a tag either.
    if (closeAfter === -1) break;
    out += text.slice(from, open) + replacement;
    from = closeAfter + 1;
  }
  return out + text.slice(from);
}

/**
 * Shortens text to at most `max` characters, ending with "…" when it was cut; cuts at a word boundary when
 * one is near the end and never through a surrogate pair. The one truncator every layer uses.
 */
export function truncate(
  text: string,
  max: number,
  options: { ellipsis?: string; wordBoundary?: boolean } = {},
): string {
  if (text.length <= max) return text;
  const ellipsis = options.ellipsis ?? '…';
  const room = Math.max(0, max - ellipsis.length);
  let cut = clipRaw(text, room);
  if (options.wordBoundary !== false) {
    const space = cut.lastIndexOf(' ');
    if (space > room * 0.7) cut = cut.slice(0, space);
  }
  return `${cut.trimEnd()}${ellipsis}`;
}

/** Flattened, stripped and shortened text: what a prompt quotes or a terminal shows of longer text. */
export function clip(text: string, max: number): string {
  return truncate(collapseWhitespace(stripInvisible(clipRaw(text, max * 4 + 64))), max);
}

/**
 * Plain text from a web field: clipped to the raw budget first, then tags stripped, entities decoded,
 * NFKC-normalised, invisible characters removed and whitespace collapsed, then shortened to `max`.
 */
export function plainWebText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const raw = clipRaw(value, WEB_TEXT_BUDGET);
  const text = stripInvisible(decodeEntities(stripTags(raw)).normalize('NFKC'));
  return truncate(collapseWhitespace(text), max);
}

/** Raw characters read from a whole page (a page reader's text) before anything else looks at it. */
export const PAGE_TEXT_BUDGET = 64_000;

/**
 * Plain text of a read page, its lines kept (a ranking's entries stay one per line): clipped to the page budget
 * first, then tags stripped, entities decoded, NFKC-normalised, invisible characters removed, each line's whitespace
 * collapsed and empty lines dropped, then shortened to `max`. The same cleaning as `plainWebText`, line by line.
 */
export function plainPageText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const raw = clipRaw(value, PAGE_TEXT_BUDGET);
  const text = stripInvisible(decodeEntities(stripTags(raw)).normalize('NFKC'));
  const lines: string[] = [];
  let length = 0;
  for (const line of text.split(/\r\n|[\n\r\u2028\u2029]/)) {
    const flat = collapseWhitespace(line);
    if (flat === '') continue;
    lines.push(flat);
    length += flat.length + 1;
    if (length > max) break;
  }
  return truncate(lines.join('\n'), max);
}

/** At most one short line of any text (an error body, a server's answer): for messages users read. */
export function oneLine(text: string, max = 160): string {
  const raw = clipRaw(text, WEB_TEXT_BUDGET);
  const firstLine = collapseWhitespace(
    stripInvisible(stripTags(raw))
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '',
  );
  return truncate(firstLine, max);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function startsTag(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 47 || code === 33 || code === 63;
}
