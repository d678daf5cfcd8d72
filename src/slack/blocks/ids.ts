// The ids that tie a rendered button or modal to the listener that handles it.

/** The button ids the actions listeners map to handlers. */
export const ACTION_IDS = { rescore: 'leads_rescore', export: 'leads_export_csv', runAgain: 'leads_run_again' } as const;

/** The modal's callback id the views listener maps to its handler. */
export const VIEW_IDS = { rescore: 'leads_rescore_modal' } as const;
