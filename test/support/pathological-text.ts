// Inputs that make naive text cleaners slow (nested quantifiers, "<" with no ">", long whitespace runs), and
// every function that cleans web, user or model text. The cleaner test and `npm run bench` both use these.
import { textAbout } from '../../src/domain/fact-subject.js';
import { dataBlock, promptText } from '../../src/agents/prompt-data.js';
import { cleanValue, plainWords, searchableText } from '../../src/domain/grounding.js';
import { clip, oneLine, plainPageText, plainWebText, stripTags, truncate } from '../../src/domain/text.js';
import { htmlToText } from '../../src/search/html-text.js';
import { extractJsonText } from '../../src/llm/structured-output.js';
import { toResults } from '../../src/search/provider-http.js';
import { csvCell } from '../../src/slack/blocks/csv.js';
import { escapeAndFit, fit, mrkdwnText } from '../../src/slack/blocks/escape.js';
import { parseLeadsRequest, slackToPlain } from '../../src/slack/input/request-text.js';
import { redactUrlCredentials } from '../../src/domain/url-credentials.js';

const MB = 1_000_000;
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

/** One megabyte each. */
export const PATHOLOGICAL_INPUTS: Record<string, string> = {
  'open brackets, no close': fill('<'),
  'tag starts, no close': fill('<a'),
  'bracket then whitespace': `<${fill(' ').slice(1)}`,
  'bracket, slash and whitespace': `< /${fill(' \t').slice(3)}`,
  'data tag starts': fill('<data '),
  'broken data delimiters': fill('</da\u0001ta>'),
  ampersands: fill('&'),
  'one long entity name': `&${fill('a').slice(1)}`,
  'nested entities': fill('&amp;'),
  'combining marks': `d${fill('\u0301').slice(1)}`,
  'zero-width and bidi': fill('\u200b\u202e'),
  whitespace: fill(' \n'),
  letters: fill('a'),
  'url schemes': fill('://'),
  userinfo: `http://${fill('u:p').slice(7)}`,
  'mrkdwn marks': fill('*_~`'),
  'think tags': fill('<think>'),
  'code fences': `\`\`\`${fill(' ').slice(3)}`,
  braces: fill('{['),
  'slack markup': fill('<@U1|'),
  'emoji codes': fill(':a'),
};

/** Every cleaner of text from the web, a user or a model, by name. */
export const TEXT_CLEANERS: Record<string, (text: string) => unknown> = {
  'search result (provider boundary)': (text) =>
    toResults('tavily', [{ title: text, url: 'https://example.com/', snippet: text }], 1),
  plainWebText: (text) => plainWebText(text, 2000),
  stripTags: (text) => stripTags(text),
  'promptText (every prompt)': (text) => promptText(text),
  dataBlock: (text) => dataBlock('page', text),
  clip: (text) => clip(text, 300),
  truncate: (text) => truncate(text, 300),
  oneLine: (text) => oneLine(text),
  'grounding words': (text) => searchableText(text) + plainWords(text).length,
  'fact subject': (text) => textAbout('lone star motor', { url: 'https://example.com/lone-star', title: text, text }),
  cleanValue: (text) => cleanValue(text),
  'Slack mrkdwn': (text) => mrkdwnText(text),
  'Slack escapeAndFit': (text) => escapeAndFit(text, 3000),
  'Slack plain text': (text) => fit(text, 3000),
  'Slack request text': (text) => parseLeadsRequest(text),
  slackToPlain: (text) => slackToPlain(text),
  csvCell: (text) => csvCell(text),
  'model answer JSON': (text) => extractJsonText(text),
  'page HTML to text (fetch reader)': (text) => htmlToText(text),
  'page text (every read page)': (text) => plainPageText(text, 24_000),
  redactUrlCredentials: (text) => redactUrlCredentials(text),
};

/** Runs every cleaner over every input; the slowest pair and its time in milliseconds. */
export function worstCleaningTime(): { cleaner: string; input: string; ms: number } {
  let worst = { cleaner: '', input: '', ms: 0 };
  for (const [cleaner, clean] of Object.entries(TEXT_CLEANERS)) {
    for (const [input, text] of Object.entries(PATHOLOGICAL_INPUTS)) {
      const started = performance.now();
      clean(text);
      const ms = performance.now() - started;
      if (ms > worst.ms) worst = { cleaner, input, ms };
    }
  }
  return worst;
}
