import type { Services } from '../../services.js';
import type { JobDeps, SlackClient } from '../deps.js';

/** What a job takes from the services: the pipeline, the workspace's stores, HubSpot, Salesforce, the scrubber. */
export type JobParts = Pick<
  JobDeps,
  'orchestrator' | 'logger' | 'companyName' | 'scrub' | 'workspace' | 'hubspot' | 'salesforce'
>;

/** The services' parts a job uses, the same for the app and for a worker. */
export function jobPartsOf(
  services: Pick<
    Services,
    'orchestrator' | 'logger' | 'profile' | 'scrub' | 'feedback' | 'schedules' | 'recentRuns' | 'hubspot' | 'salesforce'
  >,
): JobParts {
  return {
    orchestrator: services.orchestrator,
    logger: services.logger,
    companyName: services.profile.company.name,
    scrub: services.scrub,
    // The workspace's feedback steers scoring and hides companies, scheduled results answer at once, runs are listed
    // on App Home: in the same store (Redis when shared) whichever process runs the job.
    workspace: { feedback: services.feedback, schedules: services.schedules, recentRuns: services.recentRuns },
    ...(services.hubspot ? { hubspot: services.hubspot } : {}),
    ...(services.salesforce ? { salesforce: services.salesforce } : {}),
  };
}

/**
 * The job handler's dependencies, built in one place for the app (with its Bolt client) and a worker (with a Web
 * API client of its own): the parts, the shared bookkeeping (de-duplication, one run per person) and the client.
 */
export function createJobDeps(
  parts: JobParts,
  shared: Pick<JobDeps, 'dedupe' | 'active'>,
  client: SlackClient,
  tuning: { progressIntervalMs?: number; now?: () => Date } = {},
): JobDeps {
  return {
    ...parts,
    dedupe: shared.dedupe,
    active: shared.active,
    client,
    progressIntervalMs: tuning.progressIntervalMs ?? 1000,
    now: tuning.now ?? (() => new Date()),
  };
}
