// What a test starts is checked and stopped by test/setup.ts, so no test file repeats an afterEach for it: fakes
// report requests they did not expect, then apps, servers and temporary folders close, newest first. Something
// registered inside a test is torn down after that test; in beforeAll, after the file. Outside vitest (the bench)
// nothing is registered and callers close what they start.

/** A resource to stop after the test, and optionally something that must hold about it. */
export interface Teardown {
  close?: () => unknown;
  /** Throws when the resource saw something the test did not expect (e.g. an unknown request). */
  check?: () => void;
}

type Scope = 'test' | 'file';

let enabled = false;
let scope: Scope = 'file';
const registered: Record<Scope, Teardown[]> = { test: [], file: [] };

/** Registers a resource for teardown at the end of the current test (or file, when called from beforeAll). */
export function afterTest(teardown: Teardown): void {
  if (enabled) registered[scope].push(teardown);
}

/** Registers a resource for teardown at the end of the file, even from inside a test (a file-wide fixture that a
 * test extends, such as another worker process for a cluster started in beforeAll). */
export function afterFile(teardown: Teardown): void {
  if (enabled) registered.file.push(teardown);
}

/** Fails the test when a fake recorded requests it does not serve. */
export function expectNoneUnexpected(
  what: string,
  unexpected: readonly unknown[],
  describe: (item: never) => string = String,
): void {
  if (unexpected.length > 0)
    throw new Error(
      `${what} got requests it does not serve: ${unexpected.map((u) => describe(u as never)).join(', ')}`,
    );
}

/** Wraps a close function so that a test closing a resource early and the teardown closing it again is harmless. */
export function once<T>(close: () => Promise<T>): () => Promise<T> {
  let closing: Promise<T> | undefined;
  return () => (closing ??= close());
}

/** Called by test/setup.ts only. */
export const teardownHooks = {
  enable(): void {
    enabled = true;
  },
  enterTest(): void {
    scope = 'test';
  },
  /** Runs every check, then closes everything (even when a check failed), then reports the first failure. */
  async run(which: Scope): Promise<void> {
    scope = 'file';
    const items = registered[which].splice(0).reverse();
    const failures: unknown[] = [];
    for (const item of items) {
      try {
        item.check?.();
      } catch (error) {
        failures.push(error);
      }
    }
    for (const item of items) {
      try {
        await item.close?.();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  },
};
