import type { App, ViewSubmitAction } from '@slack/bolt';
import { VIEW_IDS } from '../../blocks/ids.js';
import type { ListenerDeps } from '../../deps.js';
import { counted } from '../../io/delivery-metrics.js';
import { feedbackReasonSubmission } from './feedback-reason-submission.js';
import { rescoreSubmission } from './rescore-submission.js';

/** Maps modal callback ids to their handlers, each delivery counted. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: VIEW_IDS.rescore },
    counted(deps.metrics, 'view', rescoreSubmission(deps)),
  );
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: VIEW_IDS.feedbackReason },
    counted(deps.metrics, 'view', feedbackReasonSubmission(deps)),
  );
}
