import type { JobHandler } from '../../queue/jobs.js';
import type { JobDeps } from '../deps.js';
import type { RunJob } from '../input/run-job.js';
import { digestJob } from './digest.js';
import { newRunJob } from './new-run.js';
import { rescoreJob } from './rescore.js';
import { runThreadJob } from './thread-job.js';

/**
 * The one job handler behind both modes (in the app's process, or on a worker): each kind of job says what it does
 * differently (`new-run.ts`, `rescore.ts`, `digest.ts`), and `runThreadJob` runs it in its thread.
 */
export function createRunJobHandler(deps: JobDeps): JobHandler<RunJob> {
  return (job, attempt) =>
    runThreadJob(deps, job, attempt, () =>
      job.kind === 'run'
        ? newRunJob(deps, job, attempt)
        : job.kind === 'rescore'
          ? rescoreJob(deps, job)
          : digestJob(deps, job, attempt),
    );
}
