import { z } from 'zod';
import { SharedStateError } from '../../errors.js';
import { inRedis, type RedisClient } from '../../store/redis.js';

/** A user's run in progress, so a second /leads can point at it instead of starting another. */
export interface ActiveRun {
  runId: string;
  teamId: string;
  userId: string;
  channelId: string;
  threadTs?: string;
  permalink?: string;
}

const activeRunSchema = z.object({
  runId: z.string(),
  teamId: z.string(),
  userId: z.string(),
  channelId: z.string(),
  threadTs: z.string().optional(),
  permalink: z.string().optional(),
});

export type ClaimOutcome = { ok: true; run: ActiveRun } | { ok: false; running: ActiveRun };

/** One running request per user per workspace: in this process, or across every instance and worker (Redis). */
export interface ActiveRunRegistry {
  /** Registers the run, or returns the one already running for this user. */
  claim(run: ActiveRun): Promise<ClaimOutcome>;
  /** The user's run in progress, if any, without claiming a slot (to refuse before opening a form). */
  runningFor(teamId: string, userId: string): Promise<ActiveRun | undefined>;
  /** Records where the run lives (its thread, a permalink) once known, if the claim is still this run's. */
  update(run: ActiveRun): Promise<void>;
  /** Extends the claim's lifetime while its run is still going (a claim expires on its own in Redis). */
  keepAlive(run: ActiveRun): Promise<void>;
  /** Ends the claim, if it is still this run's. */
  release(run: ActiveRun): Promise<void>;
}

/** How long a claim lives without keepAlive: a run whose every process died frees its user after this. */
export const CLAIM_TTL_MS = 20 * 60 * 1000;

/** In-process memory, for the single-process mode. */
export function createActiveRuns(): ActiveRunRegistry {
  const runs = new Map<string, ActiveRun>();
  return {
    async claim(run) {
      const key = keyOf(run.teamId, run.userId);
      const running = runs.get(key);
      if (running) return { ok: false, running };
      runs.set(key, run);
      return { ok: true, run };
    },
    async runningFor(teamId, userId) {
      return runs.get(keyOf(teamId, userId));
    },
    async update(run) {
      const key = keyOf(run.teamId, run.userId);
      if (runs.get(key)?.runId === run.runId) runs.set(key, run);
    },
    async keepAlive() {
      // Memory claims live as long as the process.
    },
    async release(run) {
      const key = keyOf(run.teamId, run.userId);
      if (runs.get(key)?.runId === run.runId) runs.delete(key);
    },
  };
}

// Compare-and-set, compare-and-expire and compare-and-delete: a claim is only ever changed by its own run.
const UPDATE_IF_OWNER = `local v = redis.call('GET', KEYS[1]); if v and cjson.decode(v).runId == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end return nil`;
const EXPIRE_IF_OWNER = `local v = redis.call('GET', KEYS[1]); if v and cjson.decode(v).runId == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const DELETE_IF_OWNER = `local v = redis.call('GET', KEYS[1]); if v and cjson.decode(v).runId == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Claims as Redis keys with a TTL: SET NX claims, and only the claiming run updates, extends or ends its claim. */
export function createRedisActiveRuns(redis: RedisClient, prefix: string, ttlMs = CLAIM_TTL_MS): ActiveRunRegistry {
  const keyOfRun = (teamId: string, userId: string) => `${prefix}:active-run:${keyOf(teamId, userId)}`;
  const read = async (key: string): Promise<ActiveRun | undefined> => {
    const raw = await redis.get(key);
    if (raw === null) return undefined;
    try {
      const parsed = activeRunSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const registry: ActiveRunRegistry = {
    async claim(run) {
      const key = keyOfRun(run.teamId, run.userId);
      // A few tries: the claim seen may expire between the SET and the GET.
      for (let attempt = 0; attempt < 3; attempt++) {
        if ((await redis.set(key, JSON.stringify(run), 'PX', ttlMs, 'NX')) === 'OK') return { ok: true, run };
        const running = await read(key);
        if (running) return { ok: false, running };
        // An unreadable claim blocks nobody: it is replaced.
        if ((await redis.get(key)) !== null) await redis.del(key);
      }
      throw new SharedStateError('Could not register the run in Redis (the claim kept changing).');
    },
    runningFor: (teamId, userId) => read(keyOfRun(teamId, userId)),
    async update(run) {
      await redis.eval(UPDATE_IF_OWNER, 1, keyOfRun(run.teamId, run.userId), run.runId, JSON.stringify(run));
    },
    async keepAlive(run) {
      await redis.eval(EXPIRE_IF_OWNER, 1, keyOfRun(run.teamId, run.userId), run.runId, String(ttlMs));
    },
    async release(run) {
      await redis.eval(DELETE_IF_OWNER, 1, keyOfRun(run.teamId, run.userId), run.runId);
    },
  };
  // Every call says what it was doing when Redis failed it.
  return {
    claim: (run) => inRedis('registering the run', () => registry.claim(run)),
    runningFor: (teamId, userId) => inRedis('looking up a run in progress', () => registry.runningFor(teamId, userId)),
    update: (run) => inRedis('updating the run in progress', () => registry.update(run)),
    keepAlive: (run) => inRedis('renewing the run in progress', () => registry.keepAlive(run)),
    release: (run) => inRedis('ending the run in progress', () => registry.release(run)),
  };
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
