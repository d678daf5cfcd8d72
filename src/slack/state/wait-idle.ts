/**
 * Resolves once every promise in `running` (a set that may grow while waiting) has settled, or after `timeoutMs`.
 * Shared by the trackers of background work and of deliveries in flight, which shutdown and tests wait on.
 */
export async function waitIdle(
  running: ReadonlySet<Promise<unknown>>,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (running.size > 0 && Date.now() < deadline) {
    const left = deadline - Date.now();
    const timer = Number.isFinite(left)
      ? new Promise<void>((r) => setTimeout(r, left).unref())
      : new Promise<void>(() => undefined);
    await Promise.race([Promise.allSettled([...running]), timer]);
  }
}
