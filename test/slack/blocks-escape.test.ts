import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeAndFit, escapeText, fit, mrkdwnLink, safeHttpUrl } from '../../src/slack/blocks/escape.js';
import { csvCell, csvFileName, renderLeadsCsv } from '../../src/slack/blocks/csv.js';
import { parseLeadsRequest } from '../../src/slack/input/request-text.js';

describe('escaping', () => {
  it('escapes & < > so web text cannot ping @channel or forge a link', () => {
    expect(escapeText('<!channel> AT&T <http://evil|x>')).toBe('&lt;!channel&gt; AT&amp;T &lt;http://evil|x&gt;');
  });

  it('keeps only http(s) links and encodes characters that could end <url|label>', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,hi')).toBeNull();
    expect(safeHttpUrl('ftp://files.example.com')).toBeNull();
    expect(safeHttpUrl('https://user:pw@example.com')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl(`https://example.com/${'a'.repeat(600)}`)).toBeNull();
    expect(safeHttpUrl('https://example.com/a|b>c')).toBe('https://example.com/a%7Cb%3Ec');
  });

  it('builds a link whose label cannot break out, and drops the link for unsafe targets', () => {
    expect(mrkdwnLink('https://example.com', 'x><!here>')).toBe('<https://example.com/|x&gt;&lt;!here&gt;>');
    expect(mrkdwnLink('javascript:alert(1)', 'click <me>')).toBe('click &lt;me&gt;');
  });

  it('shortens escaped text without cutting an entity or an emoji in half', () => {
    expect(escapeAndFit('a&b', 4)).toBe('a…');
    expect(escapeAndFit('ok', 4)).toBe('ok');
    expect(escapeAndFit('😀😀😀', 4)).toBe('😀…');
    expect(fit('abcdef', 4)).toBe('abc…');
  });
});

describe('CSV export', () => {
  it('names the file leads_<intent>_<YYYYMMDD>.csv in UTC', () => {
    expect(csvFileName('customer', new Date('2025-03-07T23:30:00Z'))).toBe('leads_customer_20250307.csv');
  });

  it('quotes per RFC 4180 and neutralises spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a header and one CRLF-terminated row per lead', () => {
    const csv = renderLeadsCsv([
      {
        rank: 1,
        name: 'Harbor, Inc.',
        website: 'https://harbor.example.com/',
        headquarters: null,
        size: '12 rooftops',
        industry: 'Dealer group',
        fitScore: 87.4,
        rationale: 'Bought "two" stores',
        sources: ['https://a.example', 'https://b.example'],
      },
    ]);
    expect(csv).toBe(
      'rank,name,website,headquarters,size,industry,score,rationale,sources\r\n' +
        '1,"Harbor, Inc.",https://harbor.example.com/,,12 rooftops,Dealer group,87,"Bought ""two"" stores",https://a.example https://b.example\r\n',
    );
  });
});

describe('request text', () => {
  it('reads each /leads form', () => {
    expect(parseLeadsRequest('find customers in Texas')).toEqual({
      kind: 'run',
      text: 'find potential customers in Texas',
      intent: 'customer',
    });
    expect(parseLeadsRequest('find partners')).toEqual({
      kind: 'run',
      text: 'find potential partners',
      intent: 'partner',
    });
    expect(parseLeadsRequest('FIND BOTH')).toEqual({
      kind: 'run',
      text: 'find potential customers and partners',
      intent: 'both',
    });
    expect(parseLeadsRequest('RV dealer groups in the Midwest')).toEqual({
      kind: 'run',
      text: 'RV dealer groups in the Midwest',
    });
    expect(parseLeadsRequest('<@UBOT> find me lenders &amp; banks')).toEqual({
      kind: 'run',
      text: 'find me lenders & banks',
    });
    expect(parseLeadsRequest('help')).toEqual({ kind: 'help' });
    expect(parseLeadsRequest('   ')).toEqual({ kind: 'help' });
  });

  it('turns empty, huge, binary, emoji-only text and unknown subcommands into usage help', () => {
    expect(parseLeadsRequest('x'.repeat(10_000)).kind).toBe('usage');
    expect(parseLeadsRequest('find \u0000\u0001 customers').kind).toBe('usage');
    expect(parseLeadsRequest('🚗🚗 🔥').kind).toBe('usage');
    expect(parseLeadsRequest(':car: :fire:').kind).toBe('usage');
    expect(parseLeadsRequest('delete')).toEqual({ kind: 'usage', problem: "I don't know the command `delete`." });
    expect(parseLeadsRequest('find').kind).toBe('usage');
  });
});

describe('blocks/ stays pure', () => {
  it('imports no Slack client and nothing of the app; from Slack only the Block Kit types, erased at build', () => {
    const dir = join(process.cwd(), 'src/slack/blocks');
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8');
      const imports = [...source.matchAll(/^import (type )?[^;]*? from '([^']+)'/gm)].map((m) => ({
        typeOnly: m[1] !== undefined,
        target: m[2]!,
      }));
      for (const { typeOnly, target } of imports) {
        expect(target, `${file} imports ${target}`).not.toMatch(/^@slack\/(?!types$)|^\.\.\/(?!\.\.\/)/);
        if (target === '@slack/types') expect(typeOnly, `${file} imports @slack/types at run time`).toBe(true);
      }
    }
  });
});
