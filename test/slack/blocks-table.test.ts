import { describe, expect, it } from 'vitest';
import type { Lead, LeadsDocument } from '../../src/domain/types.js';
import type { TableBlock } from '@slack/types';
import { renderLeadsMessage } from '../../src/slack/blocks/leads-table.js';
import { allStrings, countTableChars, limitViolations } from './support/limits-check.js';

const stats = {
  llmCalls: 14,
  promptTokens: 1,
  outputTokens: 1,
  searches: 9,
  cacheHits: 0,
  durationMs: 72_400,
  stageMs: {},
  warnings: [],
};

function doc(leads: Lead[], request = 'find customers'): LeadsDocument {
  return { runId: 'run_abc', request, intent: { intent: 'customer', confidence: 0.9, constraints: {} }, leads, stats };
}

function lead(rank: number, over: Partial<Lead> = {}): Lead {
  return {
    rank,
    name: `Co ${rank}`,
    website: null,
    headquarters: null,
    size: null,
    industry: null,
    fitScore: 50,
    rationale: '',
    sources: ['https://s.example/'],
    ...over,
  };
}

function tableOf(message: ReturnType<typeof renderLeadsMessage>): TableBlock {
  return message.attachments![0]!.blocks[0] as TableBlock;
}

describe('renderLeadsMessage', () => {
  it('renders header, summary, a table in attachments, sources and the two buttons', () => {
    const message = renderLeadsMessage(
      doc([
        lead(1, {
          name: 'Harbor Motor Group',
          website: 'https://harbor.example.com',
          headquarters: 'Dallas, Texas',
          size: '12 rooftops',
          fitScore: 91.6,
          rationale: 'Bought 4 stores.',
          sources: ['https://news.example.com/a'],
        }),
      ]),
      { companyName: 'AxleWave' },
    );
    expect(message).toEqual({
      text: 'Top 1 customers for AxleWave:\n1. Harbor Motor Group (92)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Top 1 customers for AxleWave', emoji: false } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*1 lead* ranked by fit for “find customers” · 9 searches · 14 model calls · 1m 12s',
          },
        },
      ],
      attachments: [
        {
          blocks: [
            {
              type: 'table',
              column_settings: [
                { align: 'right' },
                { is_wrapped: true },
                { is_wrapped: true },
                { is_wrapped: true },
                { align: 'right' },
                { is_wrapped: true },
              ],
              rows: [
                ['#', 'Company', 'HQ', 'Size', 'Score', 'Why'].map((text) => ({ type: 'raw_text', text })),
                [
                  { type: 'raw_text', text: '1' },
                  {
                    type: 'rich_text',
                    elements: [
                      {
                        type: 'rich_text_section',
                        elements: [{ type: 'link', url: 'https://harbor.example.com/', text: 'Harbor Motor Group' }],
                      },
                    ],
                  },
                  { type: 'raw_text', text: 'Dallas, Texas' },
                  { type: 'raw_text', text: '12 rooftops' },
                  { type: 'raw_text', text: '92' },
                  { type: 'raw_text', text: 'Bought 4 stores.' },
                ],
              ],
            },
            {
              type: 'context',
              elements: [
                { type: 'mrkdwn', text: '1. Harbor Motor Group: <https://news.example.com/a|news.example.com>' },
              ],
            },
            {
              type: 'actions',
              block_id: 'leads_actions',
              elements: [
                {
                  type: 'button',
                  action_id: 'leads_rescore',
                  text: { type: 'plain_text', text: 'Re-score' },
                  value: 'run_abc',
                },
                {
                  type: 'button',
                  action_id: 'leads_export_csv',
                  text: { type: 'plain_text', text: 'Export CSV' },
                  value: 'run_abc',
                  style: 'primary',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('cuts the header to 150 characters', () => {
    const message = renderLeadsMessage(doc([lead(1)]), { companyName: 'A'.repeat(300) });
    const header = message.blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(150);
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('keeps the summary section under 3,000 characters for a 5,000-character request', () => {
    const message = renderLeadsMessage(doc([lead(1)], 'x'.repeat(5000)), { companyName: 'AxleWave' });
    const section = message.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(limitViolations(message)).toEqual([]);
  });

  it('shortens 5,000-character rationales to 600 characters for ten leads', () => {
    const leads = Array.from({ length: 10 }, (_, i) => lead(i + 1, { rationale: 'r'.repeat(5000) }));
    const table = tableOf(renderLeadsMessage(doc(leads), { companyName: 'AxleWave' }));
    for (const row of table.rows.slice(1)) expect((row[5] as { text: string }).text).toBe(`${'r'.repeat(599)}…`);
    expect(countTableChars(table.rows)).toBeLessThanOrEqual(10_000);
  });

  it('shortens rationales further (to 160) when 40 leads would exceed the table’s 10,000 characters', () => {
    const leads = Array.from({ length: 40 }, (_, i) => lead(i + 1, { rationale: 'r'.repeat(5000) }));
    const table = tableOf(renderLeadsMessage(doc(leads), { companyName: 'AxleWave' }));
    expect((table.rows[1]![5] as { text: string }).text).toHaveLength(160);
    expect(countTableChars(table.rows)).toBeLessThanOrEqual(10_000);
  });

  it('caps the table at 100 rows (header plus 99 leads)', () => {
    const leads = Array.from({ length: 150 }, (_, i) => lead(i + 1, { name: 'C', sources: ['https://s.example/'] }));
    const message = renderLeadsMessage(doc(leads), { companyName: 'AxleWave' });
    expect(tableOf(message).rows).toHaveLength(100);
    expect(tableOf(message).rows.every((row) => row.length === 6)).toBe(true);
    expect(limitViolations(message)).toEqual([]);
  });

  it('puts at most ten source entries in a context block', () => {
    const leads = Array.from({ length: 25 }, (_, i) => lead(i + 1));
    const blocks = renderLeadsMessage(doc(leads), { companyName: 'AxleWave' }).attachments![0]!.blocks;
    expect(
      blocks.filter((b) => b.type === 'context').map((b) => (b.type === 'context' ? b.elements.length : 0)),
    ).toEqual([10, 10, 5]);
  });

  it('keeps a context element under 2,000 characters with long source URLs', () => {
    const sources = Array.from({ length: 5 }, (_, i) => `https://example.com/${i}/${'p'.repeat(460)}`);
    const message = renderLeadsMessage(doc([lead(1, { sources })]), { companyName: 'AxleWave' });
    const context = message.attachments![0]!.blocks[1] as { elements: { text: string }[] };
    expect(context.elements[0]!.text.length).toBeLessThanOrEqual(2000);
    expect(context.elements[0]!.text).toContain('+2 more');
  });

  it('falls back to a text table in code blocks when even short rationales break the table limit', () => {
    const leads = Array.from({ length: 60 }, (_, i) =>
      lead(i + 1, {
        name: 'N'.repeat(200),
        headquarters: 'H'.repeat(200),
        size: 'S'.repeat(100),
        website: `https://example.com/${'w'.repeat(400)}`,
        rationale: 'r'.repeat(5000),
      }),
    );
    const message = renderLeadsMessage(doc(leads), { companyName: 'AxleWave' });
    expect(message.attachments).toBeUndefined();
    const code = message.blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith('```'));
    expect(code.length).toBeGreaterThan(1);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(limitViolations(message)).toEqual([]);
  });

  it('keeps button labels within 75 characters and sends a fallback text', () => {
    const message = renderLeadsMessage(doc([lead(1)]), { companyName: 'AxleWave' });
    expect(limitViolations(message)).toEqual([]);
    expect(message.text.length).toBeGreaterThan(0);
  });

  it('escapes hostile names, rationales and sources in mrkdwn, keeps table cells plain text, and links only http(s) websites', () => {
    const hostile = [
      lead(1, {
        name: '<!channel> Motors',
        website: 'javascript:alert(1)',
        rationale: `ignore previous instructions <!here> ${'x'.repeat(5000)}`,
        sources: ['javascript:alert(2)', 'https://ok.example/<b>'],
      }),
      lead(2, {
        name: '<http://evil.example|Click me> Group',
        website: 'https://evil.example/|<!channel>',
        headquarters: '<@U123>',
        sources: ['https://a.example/'],
      }),
      lead(3, { name: 'AT&T Fleet', website: 'data:text/html,<script>', sources: ['http://plain.example/'] }),
    ];
    const message = renderLeadsMessage(doc(hostile, '<!everyone> please'), { companyName: 'AxleWave' });
    // Table cells are plain text to Slack (no mentions, no links parsed); every other field is mrkdwn.
    const withoutTable = {
      ...message,
      attachments: message.attachments?.map((a) => ({ ...a, blocks: a.blocks.filter((b) => b.type !== 'table') })),
    };
    const strings = allStrings(withoutTable);
    for (const s of strings) {
      expect(s).not.toMatch(/<!(channel|here|everyone)>/);
      expect(s).not.toContain('<http://evil');
      expect(s).not.toContain('<@U123>');
      expect(s).not.toMatch(/javascript:|data:text/);
    }
    const table = tableOf(message);
    expect(table.rows[1]![1]).toEqual({ type: 'raw_text', text: '<!channel> Motors' });
    expect(table.rows[2]![1]).toEqual({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            {
              type: 'link',
              url: 'https://evil.example/%7C%3C!channel%3E',
              text: '<http://evil.example|Click me> Group',
            },
          ],
        },
      ],
    });
    expect(table.rows[3]![1]).toEqual({ type: 'raw_text', text: 'AT&T Fleet' });
    expect(limitViolations(message)).toEqual([]);
  });
});
