export type Settled<T> = PromiseSettledResult<T> | { status: 'pending' };

/**
 * Like Promise.allSettled, but once `quorum` of the promises have settled it waits at most `graceMs`
 * for stragglers: one slow search must not hold up a whole run. Late answers still fill the cache.
 */
export async function settleWithDeadline<T>(
  promises: Promise<T>[],
  options: { quorum: number; graceMs: number },
): Promise<Settled<T>[]> {
  const outcomes: Settled<T>[] = promises.map(() => ({ status: 'pending' }));
  if (promises.length === 0) return outcomes;
  const needed = Math.max(1, Math.ceil(promises.length * options.quorum));
  let settled = 0;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    promises.forEach((promise, index) => {
      promise
        .then(
          (value) => {
            outcomes[index] = { status: 'fulfilled', value };
          },
          (reason: unknown) => {
            outcomes[index] = { status: 'rejected', reason };
          },
        )
        .finally(() => {
          settled += 1;
          if (settled === promises.length) finish();
          else if (settled === needed && !timer) timer = setTimeout(finish, options.graceMs);
        });
    });
  });
  return outcomes.map((o) => ({ ...o }));
}
