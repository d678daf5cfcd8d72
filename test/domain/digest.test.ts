import { describe, expect, it } from 'vitest';
import { diffDigest, emptyDigestMemory, MAX_REMEMBERED, rememberDigest } from '../../src/domain/digest.js';
import type { Lead } from '../../src/domain/types.js';

function lead(name: string, over: Partial<Lead> = {}): Lead {
  const slug = name.toLowerCase().replace(/[^a-z]/g, '');
  return {
    rank: 1,
    name,
    website: `https://${slug}.com`,
    headquarters: 'Dallas, Texas',
    size: '10 rooftops',
    industry: 'Dealer group',
    fitScore: 80,
    rationale: 'r',
    sources: [`https://news.example/${slug}`],
    ...over,
  };
}

describe('digest diff', () => {
  it('shows every company as new in a channel’s first digest', () => {
    const diff = diffDigest([lead('Harbor'), lead('Summit')], emptyDigestMemory());
    expect(diff.fresh.map((l) => l.name)).toEqual(['Harbor', 'Summit']);
    expect(diff.changed).toEqual([]);
  });

  it('posts only companies earlier digests did not show, and says what changed for returning ones', () => {
    const memory = rememberDigest(
      emptyDigestMemory(),
      [lead('Harbor'), lead('Summit'), lead('Granite')],
      '2026-03-02T06:00:00Z',
    );
    const diff = diffDigest(
      [
        lead('Harbor Auto Holdings', { website: 'https://www.harbor.com/', size: '14 rooftops' }),
        lead('Summit', { fitScore: 83 }),
        lead('Granite', { fitScore: 91 }),
        lead('Keystone'),
      ],
      memory,
    );
    expect(diff.fresh.map((l) => l.name)).toEqual(['Keystone']);
    expect(diff.changed.map((c) => [c.lead.name, c.changes])).toEqual([
      ['Harbor Auto Holdings', [{ field: 'size', from: '10 rooftops', to: '14 rooftops' }]],
      ['Granite', [{ field: 'fitScore', from: '80', to: '91' }]],
    ]);
    expect(diff.unchanged.map((l) => l.name)).toEqual(['Summit']);
  });

  it('does not count a fact the sources stopped stating as a change', () => {
    const memory = rememberDigest(emptyDigestMemory(), [lead('Harbor')], '2026-03-02T06:00:00Z');
    expect(diffDigest([lead('Harbor', { size: null, headquarters: 'dallas,  texas' })], memory).unchanged).toHaveLength(
      1,
    );
  });

  it('keeps the first time a company was seen and forgets the longest-unseen beyond the cap', () => {
    let memory = rememberDigest(emptyDigestMemory(), [lead('Harbor')], '2026-03-02T06:00:00Z');
    memory = rememberDigest(memory, [lead('Harbor')], '2026-03-09T06:00:00Z');
    expect(memory.companies['harbor.com']).toMatchObject({
      firstSeen: '2026-03-02T06:00:00Z',
      lastSeen: '2026-03-09T06:00:00Z',
    });
    const many = Array.from({ length: MAX_REMEMBERED + 5 }, (_, i) =>
      lead(`Co${String.fromCharCode(97 + (i % 26))}${i}`, { website: `https://co${i}.com` }),
    );
    memory = rememberDigest(memory, many, '2026-03-16T06:00:00Z');
    expect(Object.keys(memory.companies)).toHaveLength(MAX_REMEMBERED);
  });
});
