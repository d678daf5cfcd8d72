// Slack's escaping rules per field type: mrkdwn fields (fallback text, summary, sources) get &, < and > as
// entities and lose the formatting marks, reordering and invisible characters a web page may carry; table
// raw_text cells, rich-text link text and plain_text are shown as given, so they carry no entities.
import { describe, expect, it } from 'vitest';
import type { Lead, LeadsDocument } from '../../src/domain/types.js';
import { renderLeadsMessage } from '../../src/slack/blocks/leads-table.js';
import { renderTextTable } from '../../src/slack/blocks/text-table.js';
import type { KnownBlock, TableBlock } from '@slack/types';

const stats = {
  llmCalls: 3,
  promptTokens: 1,
  outputTokens: 1,
  searches: 2,
  cacheHits: 0,
  durationMs: 1000,
  stageMs: {},
  warnings: [],
};
const RLO = '\u202e';
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
const FORMATTING = /(^|[^\p{L}\p{N}])[*_~][^\s*_~]|`/u;

function docWith(lead: Partial<Lead>, request = 'find customers'): LeadsDocument {
  return {
    runId: 'run_fmt',
    request,
    intent: { intent: 'customer', confidence: 0.9, constraints: {} },
    leads: [
      {
        rank: 1,
        name: 'Co',
        website: null,
        headquarters: null,
        size: null,
        industry: null,
        fitScore: 80,
        rationale: 'Fits.',
        sources: ['https://s.example/'],
        ...lead,
      },
    ],
    stats,
  };
}

function mrkdwnTexts(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === 'section') return [block.text?.text ?? ''];
    if (block.type === 'context')
      return block.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : ''));
    return [];
  });
}

const hostileName = `*Free* _money_ ~now~ \`rm -rf\` ${RLO}gnp.exe${ZERO_WIDTH.join('')} Motors`;

describe('mrkdwn fields from the web', () => {
  const message = renderLeadsMessage(docWith({ name: hostileName }, '*urgent* find `customers` ~today~'), {
    companyName: 'AxleWave',
  });
  const attachmentBlocks = message.attachments?.[0]?.blocks ?? [];
  const summary = mrkdwnTexts(message.blocks)[0] as string;
  const sources = mrkdwnTexts(attachmentBlocks.filter((b) => b.type === 'context'));

  it('fallback text: no formatting marks, no right-to-left override, no zero-width characters', () => {
    expect(message.text).toContain('∗Free∗ ˍmoneyˍ ∼now∼ ˋrm -rfˋ gnp.exe Motors');
    expect(message.text).not.toMatch(FORMATTING);
    for (const ch of [RLO, ...ZERO_WIDTH]) expect(message.text).not.toContain(ch);
  });

  it('summary: the request cannot restyle it, while its own bold stays', () => {
    expect(summary).toMatch(/^\*1 lead\* ranked by fit for “∗urgent∗ find ˋcustomersˋ ∼today∼”/);
  });

  it('sources: the company name is inert', () => {
    expect(sources).toHaveLength(1);
    expect(sources[0]).toContain('∗Free∗ ˍmoneyˍ ∼now∼ ˋrm -rfˋ gnp.exe Motors');
    expect(sources[0]).not.toContain(RLO);
    expect(sources[0]?.replace(/<https:[^|]+\|[^>]+>/g, '')).not.toMatch(FORMATTING);
  });

  it('keeps marks inside words, which Slack does not format ("OLLAMA_HOST", "5*3")', () => {
    const plain = renderLeadsMessage(docWith({ name: 'ACME_PARTS 5*3 Motors' }), { companyName: 'AxleWave' });
    expect(plain.text).toContain('ACME_PARTS 5*3 Motors');
  });
});

describe('plain-text fields', () => {
  const message = renderLeadsMessage(
    docWith({
      name: `AT&T ${RLO}Fleet <Services>`,
      website: 'https://att.example.com',
      headquarters: `Dallas & Fort Worth${ZERO_WIDTH[0]}`,
      size: '<100> rooftops',
      rationale: 'Grew 10% & bought <two> stores',
    }),
    { companyName: 'AxleWave' },
  );
  const table = message.attachments?.[0]?.blocks[0] as TableBlock;
  const row = table.rows[1] ?? [];

  it('table raw_text cells carry the text as written: no HTML entities, no invisible characters', () => {
    expect(row[2]).toEqual({ type: 'raw_text', text: 'Dallas & Fort Worth' });
    expect(row[3]).toEqual({ type: 'raw_text', text: '<100> rooftops' });
    expect(row[5]).toEqual({ type: 'raw_text', text: 'Grew 10% & bought <two> stores' });
  });

  it('rich-text link text is plain text too', () => {
    expect(row[1]).toEqual({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [{ type: 'link', url: 'https://att.example.com/', text: 'AT&T Fleet <Services>' }],
        },
      ],
    });
  });

  it('the degraded text table (a code block in mrkdwn) still escapes &, < and > and cannot close its fence', () => {
    const [section] = renderTextTable([
      {
        rank: 1,
        name: 'AT&T ```F <x>',
        website: null,
        headquarters: null,
        size: null,
        industry: null,
        fitScore: 80,
        rationale: 'ok',
        sources: [],
      },
    ]);
    const text = section?.type === 'section' ? (section.text?.text ?? '') : '';
    expect(text).toContain("AT&amp;T '''F &lt;x&gt;");
    expect(text.match(/```/g)).toHaveLength(2);
  });
});
