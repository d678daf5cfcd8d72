// HTML to the text a person would read on the page (html-to-text): scripts, styles, hidden and non-content elements
// skipped, block elements and list items on lines of their own, tables as rows. Invisible characters, entities and
// length are dealt with afterwards by the domain's one text module.
import { convert, type HtmlToTextOptions, type SelectorDefinition } from 'html-to-text';
import { stripTags } from '../domain/text.js';

/** Longest HTML handed to the converter; the reader stops reading a body well before it. */
export const HTML_INPUT_MAX = 1_000_000;

const SKIPPED = [
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'nav',
  'form',
  'button',
  'select',
  'textarea',
  'img',
  'picture',
  'video',
  'audio',
  'map',
  '[hidden]',
  '[aria-hidden="true"]',
  '[style*="display:none" i]',
  '[style*="display: none" i]',
  '[style*="visibility:hidden" i]',
  '[style*="visibility: hidden" i]',
  '[style*="font-size:0" i]',
  '[style*="font-size: 0" i]',
];

const selectors: SelectorDefinition[] = [
  ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
  { selector: 'a', options: { ignoreHref: true } },
  { selector: 'table', format: 'dataTable' },
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
];

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors,
  limits: { maxInputLength: HTML_INPUT_MAX, maxDepth: 200, maxChildNodes: 5_000, ellipsis: ' …' },
};

/** Elements left open beyond this many make the parser's tree too deep to walk in linear time. */
const MAX_UNCLOSED = 5_000;
const VOID = /^(?:br|img|meta|input|link|hr|wbr|source|area|base|col|embed|param|track)\b/i;

/** The page's title and its readable text (lines kept; still to be cleaned as any web text). */
export function htmlToText(html: string): { title: string; text: string } {
  const clipped = html.length > HTML_INPUT_MAX ? html.slice(0, HTML_INPUT_MAX) : html;
  // A page of a hundred thousand unclosed tags would nest as deep; its text is read with the linear tag stripper.
  const text = unclosedTags(clipped) > MAX_UNCLOSED ? stripTags(clipped, '\n') : convert(clipped, OPTIONS);
  return { title: titleOf(clipped), text };
}

/** Opening tags (not void ones, not self-closed) minus closing tags, in one forward scan. */
function unclosedTags(html: string): number {
  let open = 0;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    const next = html.charCodeAt(at + 1);
    if (next === 47) open -= 1;
    else if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122)) {
      if (!VOID.test(html.slice(at + 1, at + 8))) open += 1;
    }
  }
  return open;
}

/** The first <title> element's text, found with one indexOf each way (no regex over a hostile page). */
function titleOf(html: string): string {
  const lower = html.slice(0, 200_000).toLowerCase();
  const open = lower.indexOf('<title');
  if (open < 0) return '';
  const start = lower.indexOf('>', open);
  const end = start < 0 ? -1 : lower.indexOf('</title', start);
  return end < 0 ? '' : html.slice(start + 1, Math.min(end, start + 1 + 1_000));
}
