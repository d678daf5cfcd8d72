import { randomBytes } from 'node:crypto';

/** A run id made before the run starts, so the thread and the "already running" link know it; matches the store's format. */
export function newSlackRunId(): string {
  return `run_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}
