import { describe, expect, it } from 'vitest';
import { createFairLimiter } from '../../src/llm/fair-limiter.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fair limiter', () => {
  it('never runs more than its concurrency at once', async () => {
    const limiter = createFairLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => limiter.run(i % 3 === 0 ? 'a' : 'b', task)));
    expect(peak).toBe(2);
    expect(limiter.active()).toBe(0);
    expect(limiter.pending()).toBe(0);
  });

  it("serves key B's single task before key A's ten queued tasks", async () => {
    const limiter = createFairLimiter(1);
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      await tick(1);
    };
    const runs = Array.from({ length: 10 }, (_, i) => limiter.run('A', task(`A${i}`)));
    expect(limiter.pending()).toBe(9);
    runs.push(limiter.run('B', task('B0')));
    await Promise.all(runs);
    expect(order.indexOf('B0')).toBe(1);
  });

  it('alternates between keys that both have work queued', async () => {
    const limiter = createFairLimiter(1);
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      await tick(1);
    };
    const runs = [
      ...Array.from({ length: 3 }, (_, i) => limiter.run('A', task(`A${i}`))),
      ...Array.from({ length: 3 }, (_, i) => limiter.run('B', task(`B${i}`))),
    ];
    await Promise.all(runs);
    expect(order).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2']);
  });

  it('drops a queued task whose signal aborts and rejects it with the reason', async () => {
    const limiter = createFairLimiter(1);
    const started: string[] = [];
    const blocker = limiter.run('A', async () => {
      started.push('blocker');
      await tick(20);
    });
    const controller = new AbortController();
    const aborted = limiter.run('B', async () => started.push('aborted'), controller.signal);
    const after = limiter.run('C', async () => started.push('after'));
    expect(limiter.pending()).toBe(2);
    controller.abort(new Error('user cancelled'));
    await expect(aborted).rejects.toThrow('user cancelled');
    expect(limiter.pending()).toBe(1);
    await Promise.all([blocker, after]);
    expect(started).toEqual(['blocker', 'after']);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = createFairLimiter(1);
    await expect(limiter.run('A', async () => Promise.reject(new Error('bad')))).rejects.toThrow('bad');
    await expect(limiter.run('A', async () => 'ok')).resolves.toBe('ok');
    expect(limiter.active()).toBe(0);
  });
});
