import { RunFailedError, type LeadsDocument, type StoredRun } from './types.js';

/**
 * The document of a finished run, as every front end shows it and results_cache/ keeps it: the leads, the numbers,
 * and what a conversation shows beside them (how many companies feedback hid, the result it was answered from), so
 * nothing that posts a result has to read the stored run again.
 */
export function documentOf(run: StoredRun): LeadsDocument {
  if (!run.intent) throw new RunFailedError(run.runId, 'The stored run has no intent.');
  const hidden = run.hidden?.length ?? 0;
  return {
    runId: run.runId,
    request: run.request,
    intent: run.intent,
    leads: run.leads ?? [],
    stats: { ...run.stats },
    ...(hidden > 0 ? { hidden } : {}),
    ...(run.answeredFrom ? { answeredFrom: { ...run.answeredFrom } } : {}),
    ...(run.crmHidden?.length ? { crmHidden: run.crmHidden } : {}),
  };
}
