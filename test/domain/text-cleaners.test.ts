// Web, user and model text is cleaned in linear time, after being clipped to a fixed budget: no page can stall
// the app. The ceiling below is a hang detector (a quadratic cleaner takes minutes on these inputs), not a
// performance goal; `npm run bench` records the real worst case.
import { describe, expect, it } from 'vitest';
import {
  clip,
  oneLine,
  plainWebText,
  stripInvisible,
  stripTags,
  truncate,
  WEB_TEXT_BUDGET,
} from '../../src/domain/text.js';
import { RESULT_SNIPPET_MAX, RESULT_TITLE_MAX, toResults } from '../../src/search/provider-http.js';
import { PATHOLOGICAL_INPUTS, TEXT_CLEANERS } from '../support/pathological-text.js';

const HANG_CEILING_MS = 60_000;

describe('every cleaner is linear on 1 MB pathological inputs', () => {
  it.each(Object.keys(TEXT_CLEANERS))(
    '%s',
    (name) => {
      const clean = TEXT_CLEANERS[name] as (text: string) => unknown;
      for (const [input, text] of Object.entries(PATHOLOGICAL_INPUTS)) {
        expect(text.length).toBe(1_000_000);
        const started = performance.now();
        clean(text);
        expect(performance.now() - started, input).toBeLessThan(HANG_CEILING_MS);
      }
    },
    900_000,
  );
});

describe('web text is clipped before anything else looks at it', () => {
  it('keeps a search result to its title and snippet budgets however long the page is', () => {
    const huge = `${'Harbor Auto Holdings bought two stores. '.repeat(50_000)}`;
    const [result] = toResults(
      'searxng',
      [{ title: huge, url: 'https://example.com/a', snippet: `<b>${huge}</b>` }],
      5,
    );
    expect(result?.title.length).toBeLessThanOrEqual(RESULT_TITLE_MAX);
    expect(result?.snippet.length).toBeLessThanOrEqual(RESULT_SNIPPET_MAX);
    expect(result?.snippet).toMatch(/^Harbor Auto Holdings bought two stores\./);
  });

  it('reads no further than the raw budget: text past it never reaches a result', () => {
    const marker = 'BEYOND-THE-BUDGET';
    expect(plainWebText(`${' '.repeat(WEB_TEXT_BUDGET)}${marker}`, 5000)).toBe('');
    expect(plainWebText(`${'x'.repeat(10)}${marker}`, 5000)).toContain(marker);
  });

  it('decodes every HTML entity (not a hand-picked few), then drops the control characters they may encode', () => {
    expect(plainWebText('Caf&eacute; &amp; Cr&egrave;me &mdash; Fa&ccedil;ade &#x1F697; &euro;5 &frac12;', 200)).toBe(
      'Café & Crème — Façade 🚗 €5 1⁄2',
    );
    expect(plainWebText('a&#1;b&#x7;c&#0;d&#x202E;e&#8203;f', 200)).toBe('abcdef');
  });

  it('strips tags but keeps a lone "<" that opens none', () => {
    expect(stripTags('<b>Harbor</b> has < 5 stores & <i>more</i>', '')).toBe('Harbor has < 5 stores & more');
    expect(stripTags('a <b no close', '')).toBe('a <b no close');
  });
});

describe('the one text module', () => {
  it('truncates on a word boundary with an ellipsis, never through a surrogate pair', () => {
    expect(truncate('Harbor Auto Holdings bought two stores', 24)).toBe('Harbor Auto Holdings…');
    expect(truncate('🚗🚗🚗🚗', 4)).toBe('🚗…');
    expect(truncate('short', 20)).toBe('short');
  });

  it('clips to one flat line without invisible characters', () => {
    expect(clip('  Harbor\u202e\n\tAuto\u200b   Holdings  ', 100)).toBe('Harbor Auto Holdings');
    expect(stripInvisible('a\u0000b\u001bc\u200dd\ufeffe\n')).toBe('abcde\n');
  });

  it('shows at most one short line of an error body', () => {
    const page = `<!DOCTYPE html>\n<html><head><title>501 Not Implemented</title></head>\n<body>${'x'.repeat(5000)}</body></html>`;
    const line = oneLine(page, 80);
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line).toContain('501 Not Implemented');
  });
});
