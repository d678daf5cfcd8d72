/** A user's run in progress, so a second /leads can point at it instead of starting another. */
export interface ActiveRun {
  runId: string;
  teamId: string;
  userId: string;
  channelId: string;
  threadTs?: string;
  permalink?: string;
}

/** One running request per user per workspace (in-process). */
export class ActiveRuns {
  private readonly runs = new Map<string, ActiveRun>();

  /** Registers the run, or returns the one already running for this user. */
  claim(run: ActiveRun): { ok: true; run: ActiveRun } | { ok: false; running: ActiveRun } {
    const key = keyOf(run.teamId, run.userId);
    const running = this.runs.get(key);
    if (running) return { ok: false, running };
    this.runs.set(key, run);
    return { ok: true, run };
  }

  /** The user's run in progress, if any, without claiming a slot (to refuse before opening a form). */
  runningFor(teamId: string, userId: string): ActiveRun | undefined {
    return this.runs.get(keyOf(teamId, userId));
  }

  release(run: ActiveRun): void {
    const key = keyOf(run.teamId, run.userId);
    if (this.runs.get(key) === run) this.runs.delete(key);
  }

  size(): number {
    return this.runs.size;
  }
}

/** Where to send the user: the thread's permalink when known, else Slack's redirect to the channel. */
export function linkToRun(run: ActiveRun): string {
  if (run.permalink) return run.permalink;
  const params = new URLSearchParams({ team: run.teamId, channel: run.channelId });
  return `https://slack.com/app_redirect?${params.toString()}`;
}

function keyOf(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}
