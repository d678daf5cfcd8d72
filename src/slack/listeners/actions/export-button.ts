import type { ListenerDeps } from '../../deps.js';
import { exportCsv } from '../../workflows/export-csv.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Export CSV: after the ack, checks the run is this conversation's, then uploads the file into its thread. */
export function exportButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'export', ({ client, run, userId, respond }) =>
    exportCsv(deps, { client, run, userId, respond }),
  );
}
