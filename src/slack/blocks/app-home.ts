import { FEEDBACK_LABELS, type FeedbackEntry } from '../../domain/feedback.js';
import type { Schedule } from '../../domain/schedule.js';
import type { RecentRun } from '../../store/recent-runs-store.js';
import { escapeAndFit, mrkdwnLink } from './escape.js';
import { plural, slackDate, mentionChannel, mentionUser } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import { cancelButton, scheduleLine } from './schedules.js';
import type { HomeView, KnownBlock } from '@slack/types';
import { ACTION_IDS } from './ids.js';

/** Whether each part the app depends on answers, as App Home shows it. */
export interface HealthReport {
  model: { label: string; ok: boolean; problem?: string };
  search: string[];
  store: { label: string; ok: boolean; problem?: string };
  scheduler: string;
  hubspot: string | null;
  salesforce?: string | null;
}

/** What the Home tab shows for one workspace. */
export interface HomeContent {
  companyName: string;
  teamId: string;
  runs: readonly RecentRun[];
  schedules: readonly { schedule: Schedule; next: Date | null }[];
  feedback: readonly FeedbackEntry[];
  health: HealthReport;
}

const RUNS_SHOWN = 10;
const FEEDBACK_SHOWN = 20;

/** The Home tab: recent runs (linking to their threads), schedules with Cancel, feedback with Undo, health. */
export function renderAppHome(home: HomeContent): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `Leads for ${home.companyName}`.slice(0, SLACK_LIMITS.headerText),
        emoji: false,
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Ask with `/leads find customers` or `@Leads <request>` in a channel; schedule digests with `/leads schedule weekly customers`.',
        },
      ],
    },
    { type: 'divider' },
    heading('Recent runs'),
    runsBlock(home),
    { type: 'divider' },
    heading('Scheduled digests'),
  ];
  if (home.schedules.length === 0)
    blocks.push(note('None yet. `/leads schedule weekly customers` in a channel starts one.'));
  for (const { schedule, next } of home.schedules.slice(0, 25)) {
    blocks.push({
      type: 'section',
      block_id: `home_schedule_${schedule.id}`.slice(0, 255),
      text: { type: 'mrkdwn', text: scheduleLine(schedule, next) },
      accessory: cancelButton(schedule),
    });
  }
  blocks.push({ type: 'divider' }, heading("Your team's feedback"));
  if (home.feedback.length === 0)
    blocks.push(
      note(
        'No marks yet. Each lead in a result has a … menu: Good fit, Not a fit, Already a customer, Wrong company info.',
      ),
    );
  for (const entry of home.feedback.slice(0, FEEDBACK_SHOWN)) {
    const reason = entry.reason ? ` “${escapeAndFit(entry.reason, 200)}”` : '';
    blocks.push({
      type: 'section',
      block_id: `home_feedback_${entry.id}`.slice(0, 255),
      text: {
        type: 'mrkdwn',
        text: `*${escapeAndFit(entry.company.name, 100)}*: ${FEEDBACK_LABELS[entry.kind]}${reason}, by ${mentionUser(entry.userId)} ${slackDate(new Date(entry.at), '{date_short_pretty}')}`,
      },
      accessory: {
        type: 'button',
        action_id: ACTION_IDS.feedbackUndo,
        text: { type: 'plain_text', text: 'Undo' },
        value: entry.id,
      },
    });
  }
  if (home.feedback.length > FEEDBACK_SHOWN)
    blocks.push(note(`…and ${home.feedback.length - FEEDBACK_SHOWN} older marks.`));
  blocks.push({ type: 'divider' }, heading('Health'), healthBlock(home.health));
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.homeBlocks) };
}

function runsBlock(home: HomeContent): KnownBlock {
  if (home.runs.length === 0) return note('No runs yet.');
  const lines = home.runs.slice(0, RUNS_SHOWN).map((run) => {
    const link =
      run.permalink ??
      `https://slack.com/app_redirect?${new URLSearchParams({ team: home.teamId, channel: run.channelId }).toString()}`;
    const kind = run.kind === 'digest' ? ' · digest' : run.kind === 'instant' ? ' · instant answer' : '';
    const outcome =
      run.status === 'running' ? 'running' : run.status === 'failed' ? 'failed' : plural(run.leads ?? 0, 'lead');
    return `• ${mrkdwnLink(link, `“${run.request.slice(0, 80)}”`, 100)} in ${mentionChannel(run.channelId)}${kind} · ${outcome} · ${slackDate(new Date(run.at), '{date_short_pretty} {time}')}`;
  });
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, SLACK_LIMITS.sectionText) } };
}

function healthBlock(health: HealthReport): KnownBlock {
  const mark = (ok: boolean) => (ok ? ':large_green_circle:' : ':red_circle:');
  const lines = [
    `${mark(health.model.ok)} Model: ${escapeAndFit(health.model.label, 200)}${down(health.model)}`,
    `:mag: Search: ${escapeAndFit(health.search.join(' → ') || 'none', 200)}`,
    `${mark(health.store.ok)} Store: ${escapeAndFit(health.store.label, 200)}${down(health.store)}`,
    `:calendar: Scheduler: ${escapeAndFit(health.scheduler, 200)}`,
    `:outbox_tray: HubSpot: ${health.hubspot ? escapeAndFit(health.hubspot, 200) : 'not configured (set HUBSPOT_TOKEN)'}`,
    `:cloud: Salesforce: ${health.salesforce ? escapeAndFit(health.salesforce, 200) : 'not configured (set SALESFORCE_CLIENT_ID)'}`,
  ];
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}

function down(part: { ok: boolean; problem?: string }): string {
  if (part.ok) return '';
  return part.problem ? ` (not answering: ${escapeAndFit(part.problem, 300)})` : ' (not answering)';
}

function heading(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text, emoji: false } };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
