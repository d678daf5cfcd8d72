import type { ListenerDeps } from '../../deps.js';
import { exportCsv } from '../../export-csv.js';
import { runButton } from './run-button.js';

/** Export CSV: after the ack, checks the run is this conversation's, then uploads the file into its thread. */
export function exportButton(deps: ListenerDeps) {
  return runButton(deps, 'export', ({ client, run, userId }) => exportCsv(deps, { client, run, userId }));
}
