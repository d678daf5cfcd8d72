// The ids that tie a rendered button, menu or modal to the listener that handles it.

/** The button and menu ids the actions listeners map to handlers. */
export const ACTION_IDS = {
  rescore: 'leads_rescore',
  export: 'leads_export_csv',
  runAgain: 'leads_run_again',
  feedback: 'leads_feedback',
  feedbackUndo: 'leads_feedback_undo',
  feedbackReason: 'leads_feedback_reason',
  showHidden: 'leads_show_hidden',
  hubspot: 'leads_send_hubspot',
  salesforce: 'leads_send_salesforce',
  refresh: 'leads_refresh',
  cancelSchedule: 'leads_schedule_cancel',
} as const;

/** The modals' callback ids the views listener maps to handlers. */
export const VIEW_IDS = { rescore: 'leads_rescore_modal', feedbackReason: 'leads_feedback_reason_modal' } as const;
