// The sales loop's Block Kit: each builder stays within Slack's limits whatever it is given.
import { describe, expect, it } from 'vitest';
import { diffDigest, emptyDigestMemory, rememberDigest } from '../../src/domain/digest.js';
import { identityOf, type FeedbackEntry } from '../../src/domain/feedback.js';
import type { Schedule } from '../../src/domain/schedule.js';
import type { Lead, LeadsDocument } from '../../src/domain/types.js';
import { renderAppHome } from '../../src/slack/blocks/app-home.js';
import { renderDigestMessage } from '../../src/slack/blocks/digest.js';
import { renderHiddenList } from '../../src/slack/blocks/feedback.js';
import { renderHubspotSent } from '../../src/slack/blocks/hubspot.js';
import { feedbackMenu, parseFeedbackChoice } from '../../src/slack/blocks/lead-feedback.js';
import { renderLeadsMessage } from '../../src/slack/blocks/leads-table.js';
import { renderScheduleList } from '../../src/slack/blocks/schedules.js';
import { allStrings, DOCUMENTED, limitViolations } from './support/limits-check.js';

const LONG_RUN_ID = `run_${'x'.repeat(76)}`;

function lead(rank: number, over: Partial<Lead> = {}): Lead {
  return {
    rank,
    name: `Dealer Group ${rank}`,
    website: `https://dealer${rank}.example`,
    headquarters: 'Dallas, Texas',
    size: '9 rooftops',
    industry: 'Dealer group',
    fitScore: 90 - (rank % 50),
    rationale: 'Bought stores.',
    sources: [`https://news.example/${rank}`],
    ...over,
  };
}

function doc(leads: Lead[], runId = 'run_abc'): LeadsDocument {
  return {
    runId,
    request: 'find potential customers',
    intent: { intent: 'customer', confidence: 0.9, constraints: {} },
    leads,
    stats: {
      llmCalls: 10,
      promptTokens: 1,
      outputTokens: 1,
      searches: 38,
      cacheHits: 0,
      durationMs: 21_000,
      stageMs: {},
      warnings: [],
    },
  };
}

function blocksOf(message: { blocks: unknown[]; attachments?: { blocks: unknown[] }[] }) {
  return [...message.blocks, ...(message.attachments ?? []).flatMap((a) => a.blocks)] as {
    type: string;
    accessory?: { type: string };
    elements?: unknown[];
  }[];
}

describe('lead menus', () => {
  it('offers the four marks in values Slack accepts, even with the longest run id, and reads them back', () => {
    const menu = feedbackMenu(LONG_RUN_ID, lead(1, { name: 'N'.repeat(500) }));
    expect(menu.options.map((o) => o.text.text)).toEqual([
      'Good fit',
      'Not a fit',
      'Already a customer',
      'Wrong company info',
    ]);
    for (const option of menu.options) {
      expect(option.value?.length).toBeLessThanOrEqual(DOCUMENTED.optionValue);
      expect(parseFeedbackChoice(option.value)).toMatchObject({ runId: LONG_RUN_ID });
    }
    expect(parseFeedbackChoice('good_fit|run_1')).toBeNull();
    expect(parseFeedbackChoice('drop_table|run_1|abc')).toBeNull();
    expect(parseFeedbackChoice('good_fit|run_1|abc|extra')).toBeNull();
  });

  it('gives every one of ten leads a menu beside its sources', () => {
    const message = renderLeadsMessage(doc(Array.from({ length: 10 }, (_, i) => lead(i + 1))), {
      companyName: 'AxleWave',
      feedback: true,
      hubspot: true,
      hidden: 3,
    });
    expect(blocksOf(message).filter((b) => b.accessory?.type === 'overflow')).toHaveLength(10);
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain("3 companies hidden by your team's feedback");
  });

  it('keeps 99 leads with menus within 50 blocks: menus while they fit, the rest of the sources in context blocks', () => {
    const leads = Array.from({ length: 99 }, (_, i) => lead(i + 1));
    const message = renderLeadsMessage(doc(leads, LONG_RUN_ID), {
      companyName: 'AxleWave',
      feedback: true,
      hubspot: true,
      hidden: 2,
      answeredFrom: { finishedAt: '2026-03-09T06:00:00Z' },
    });
    expect(limitViolations(message)).toEqual([]);
    const blocks = blocksOf(message);
    const menus = blocks.filter((b) => b.accessory?.type === 'overflow').length;
    const lines = blocks.filter((b) => b.type === 'context').flatMap((b) => b.elements ?? []).length;
    expect(menus).toBeGreaterThan(30);
    expect(menus + lines).toBeGreaterThanOrEqual(99);
  });
});

describe('digest, schedules, hidden list, HubSpot summary and App Home', () => {
  it('stays within limits when 50 returning companies all changed', () => {
    const leads = Array.from({ length: 50 }, (_, i) =>
      lead(i + 1, { name: `${'Very Long Dealer Group Name '.repeat(3)}${i}` }),
    );
    const memory = rememberDigest(
      emptyDigestMemory(),
      leads.map((l) => ({ ...l, size: '1 rooftop', fitScore: 10 })),
      '2026-03-02T06:00:00Z',
    );
    const message = renderDigestMessage(doc(leads), diffDigest(leads, memory), {
      companyName: 'AxleWave',
      first: false,
      hubspot: true,
      hidden: 1,
    });
    expect(limitViolations(message)).toEqual([]);
    expect(message.text).toMatch(/^No new customers since the last digest/);
  });

  it('lists 60 hidden companies, 40 schedules and a long HubSpot summary within a message’s limits', () => {
    const hidden = Array.from({ length: 60 }, (_, i) => ({
      ...identityOf(lead(i)),
      kind: 'already_customer' as const,
      userId: 'U1',
      at: '2026-03-02T06:00:00Z',
      entryId: `fb_${i}`,
    }));
    expect(limitViolations(renderHiddenList(hidden, new Set(['fb_1'])))).toEqual([]);
    const schedules = Array.from({ length: 40 }, (_, i): Schedule => ({
      id: `sch_${i}`,
      scope: 'T1',
      channelId: 'C1',
      createdBy: 'U1',
      createdAt: '2026-03-01T00:00:00Z',
      cadence: 'weekly',
      cron: '0 6 * * 1',
      timezone: 'UTC',
      request: 'r'.repeat(900),
    }));
    expect(limitViolations(renderScheduleList(schedules, 5, () => new Date('2026-03-09T06:00:00Z')))).toEqual([]);
    const companies = Array.from({ length: 50 }, (_, i) => ({
      lead: `${'Harbor Auto Holdings '.repeat(5)}${i}`,
      companyId: String(i),
      url: `https://app.hubspot.com/contacts/1/record/0-2/${i}`,
      action: 'created' as const,
    }));
    expect(limitViolations(renderHubspotSent({ companies, notesAdded: 50 }, 'U1'))).toEqual([]);
  });

  it('builds a Home tab of at most 100 blocks for a busy workspace, with web and user text escaped', () => {
    const entries: FeedbackEntry[] = Array.from({ length: 500 }, (_, i) => ({
      id: `fb_${i}`,
      scope: 'T1',
      kind: 'not_a_fit',
      company: identityOf(lead(i, { name: `<!channel> Motors ${i}` })),
      facts: '',
      reason: '<@U999> said so',
      runId: 'run_1',
      channelId: 'C1',
      userId: 'U1',
      at: '2026-03-02T06:00:00Z',
    }));
    const schedules = Array.from({ length: 25 }, (_, i): { schedule: Schedule; next: Date } => ({
      schedule: {
        id: `sch_${i}`,
        scope: 'T1',
        channelId: 'C1',
        createdBy: 'U1',
        createdAt: '2026-03-01T00:00:00Z',
        cadence: 'cron',
        cron: '0 9 * * 1-5',
        timezone: 'Europe/Berlin',
        request: '<http://evil.example|click> customers',
      },
      next: new Date('2026-03-09T08:00:00Z'),
    }));
    const runs = Array.from({ length: 20 }, (_, i) => ({
      runId: `run_${i}`,
      request: 'find *everything*',
      channelId: 'C1',
      threadTs: '1.2',
      kind: 'request' as const,
      status: 'succeeded' as const,
      leads: 10,
      at: '2026-03-02T06:00:00Z',
    }));
    const view = renderAppHome({
      companyName: 'AxleWave',
      teamId: 'T1',
      runs,
      schedules,
      feedback: entries,
      health: {
        model: { label: 'Ollama', ok: true },
        search: ['tavily'],
        store: { label: 'SQLite', ok: true },
        scheduler: 'croner',
        hubspot: null,
      },
    });
    expect(view.blocks.length).toBeLessThanOrEqual(DOCUMENTED.viewBlocks);
    // A Home tab may hold 100 blocks (a message 50); every other limit is the same.
    expect(
      limitViolations({ text: 'home', blocks: view.blocks }).filter((problem) => !/^\d+ blocks$/.test(problem)),
    ).toEqual([]);
    const strings = allStrings(view.blocks).join('\n');
    expect(strings).not.toMatch(/<!channel>|<http:\/\/evil|<@U999>/);
  });
});
