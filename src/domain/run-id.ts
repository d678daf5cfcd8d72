import { randomBytes } from 'node:crypto';

/** Sortable, unguessable, and safe in Slack button values and file names; front ends may make one before a run starts. */
export function newRunId(): string {
  return `run_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}
