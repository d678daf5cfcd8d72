import type { OverflowAction } from '@slack/bolt';
import { describeCompanyFacts, identityOf, leadRef } from '../../domain/feedback.js';
import {
  renderFeedbackSaved,
  renderFeedbackUndone,
  renderHiddenList,
  renderReasonModal,
  renderReasonSaved,
} from '../blocks/feedback.js';
import { parseFeedbackChoice } from '../blocks/lead-feedback.js';
import { renderCrmHiddenBlocks } from '../blocks/crm-marks.js';
import { SLACK_LIMITS } from '../blocks/limits.js';
import { describeCrmHidden } from '../../domain/crm-holdings.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { publishHome } from './publish-home.js';
import type { RunAccessContext } from './with-run-access.js';
import type { WorkspaceActionContext } from './with-workspace-action.js';

/**
 * A mark chosen in a lead's menu. The run was already checked against the clicking workspace and channel; the
 * lead is found in it by the menu's reference, so a menu can only mark a company that run listed.
 */
export async function recordFeedback(
  deps: ListenerDeps,
  ctx: RunAccessContext & { action: OverflowAction },
): Promise<void> {
  const { run, userId, poster } = ctx;
  const { channelId, threadTs } = run.origin;
  const choice = parseFeedbackChoice(ctx.action.selected_option?.value);
  if (!choice || choice.runId !== run.runId) {
    deps.logger.warn({ runId: run.runId }, 'refused a feedback choice that does not name a lead of its run');
    await poster.tellUser(
      channelId,
      userId,
      renderNotice('That menu does not point at a company I listed, so I did nothing.'),
      threadTs,
    );
    return;
  }
  const lead = run.leads?.find((l) => leadRef(l) === choice.lead);
  if (!lead) {
    await poster.tellUser(
      channelId,
      userId,
      renderNotice('That company is no longer in this list (it was re-scored since). Mark it in the newer list.'),
      threadTs,
    );
    return;
  }
  const entry = await deps.workspace.feedback.add({
    scope: run.scope,
    kind: choice.kind,
    company: identityOf(lead),
    facts: describeCompanyFacts(lead),
    runId: run.runId,
    channelId,
    userId,
  });
  deps.logger.info(
    { runId: run.runId, kind: entry.kind, company: entry.company.domain ?? entry.company.key },
    'feedback recorded',
  );
  await poster.tellUser(channelId, userId, renderFeedbackSaved(entry), threadTs);
}

/** Undo (after a mark, under Show hidden, or on App Home): removes this workspace's mark, never another's. */
export async function undoFeedback(deps: ListenerDeps, ctx: WorkspaceActionContext): Promise<void> {
  const removed = await deps.workspace.feedback.remove(ctx.teamId, ctx.value);
  if (ctx.channelId) {
    const answer = removed
      ? renderFeedbackUndone(removed)
      : renderNotice('That mark is already gone (someone may have undone it).');
    await ctx.poster.tellUser(ctx.channelId, ctx.userId, answer, ctx.threadTs);
  }
  if (!removed) deps.logger.warn({ teamId: ctx.teamId, entry: ctx.value }, 'undo named no mark of this workspace');
  if (ctx.onHome) await publishHome(deps, { client: ctx.client, teamId: ctx.teamId, userId: ctx.userId });
}

/** Show hidden: the companies feedback kept out of this run, who marked them and when, with Undo. */
export async function showHidden(deps: ListenerDeps, ctx: RunAccessContext): Promise<void> {
  const { run, userId, poster } = ctx;
  const hidden = run.hidden ?? [];
  const crmHidden = run.crmHidden ?? [];
  if (hidden.length === 0 && crmHidden.length === 0) {
    await poster.tellUser(
      run.origin.channelId,
      userId,
      renderNotice('No company was hidden from this list.'),
      run.origin.threadTs,
    );
    return;
  }
  const standing = new Set((await deps.workspace.feedback.list(run.scope)).map((entry) => entry.id));
  // The CRM's customers and open deals follow the team's marks; they have no Undo (the CRM decides).
  const marks = hidden.length > 0 ? renderHiddenList(hidden, standing) : { text: '', blocks: [] };
  const crm = renderCrmHiddenBlocks(crmHidden, SLACK_LIMITS.blocksPerMessage - marks.blocks.length);
  const text = [marks.text, crmHidden.length > 0 ? `${describeCrmHidden(crmHidden)} (customers or open deals)` : '']
    .filter(Boolean)
    .join('; ');
  await poster.tellUser(run.origin.channelId, userId, { text, blocks: [...marks.blocks, ...crm] }, run.origin.threadTs);
}

/** Add a reason: opens the short form for this workspace's mark. */
export async function openReasonForm(deps: ListenerDeps, ctx: WorkspaceActionContext): Promise<void> {
  const entry = await deps.workspace.feedback.get(ctx.teamId, ctx.value);
  if (!entry) {
    if (ctx.channelId)
      await ctx.poster.tellUser(
        ctx.channelId,
        ctx.userId,
        renderNotice('That mark is gone (it may have been undone), so there is nothing to explain.'),
        ctx.threadTs,
      );
    return;
  }
  try {
    await ctx.client.views.open({
      trigger_id: ctx.triggerId,
      view: renderReasonModal({ entryId: entry.id, ...(ctx.channelId ? { channelId: ctx.channelId } : {}) }, entry),
    });
  } catch (error) {
    deps.logger.warn({ entry: entry.id, err: slackErrorCode(error) }, 'could not open the reason form');
    if (ctx.channelId)
      await ctx.poster.tellUser(
        ctx.channelId,
        ctx.userId,
        renderNotice(`I couldn’t open the form (Slack said: ${slackErrorCode(error)}). Click again.`),
        ctx.threadTs,
      );
  }
}

/** The reason form's text, stored on this workspace's mark only (and from then on part of the team's preferences). */
export async function saveReason(
  deps: ListenerDeps,
  input: { client: SlackClient; teamId: string; userId: string; entryId: string; channelId?: string; reason: string },
): Promise<void> {
  const entry = await deps.workspace.feedback.setReason(input.teamId, input.entryId, input.reason);
  if (!entry)
    deps.logger.warn({ teamId: input.teamId, entry: input.entryId }, 'a reason named no mark of this workspace');
  if (!input.channelId) return;
  const answer = entry
    ? renderReasonSaved(entry)
    : renderNotice('That mark is gone (it may have been undone), so the reason was not kept.');
  await createPoster(input.client, deps.scrub, deps.logger).tellUser(input.channelId, input.userId, answer);
}
