import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/domain/single-flight.js';

describe('single-flight', () => {
  it('runs identical work asked for at the same time once, and tells the callers who joined', async () => {
    const flights = new SingleFlight();
    let runs = 0;
    let joined = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 20));
      return runs;
    };
    const answers = await Promise.all([
      flights.run('k', work, () => joined++),
      flights.run('k', work, () => joined++),
      flights.run('other', work),
    ]);
    expect(answers.slice(0, 2)).toEqual([answers[0], answers[0]]);
    expect(runs).toBe(2);
    expect(joined).toBe(1);
  });

  it('forgets work once it settles, failures included, so the next ask runs again', async () => {
    const flights = new SingleFlight();
    await expect(flights.run('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await flights.run('k', async () => 'up')).toBe('up');
  });
});
