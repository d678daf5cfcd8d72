// Small collection helpers the agents and the domain share, so each exists once.

/** Splits items into consecutive batches of at most `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Values in first-seen order without repeats. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
