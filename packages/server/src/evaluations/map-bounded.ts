/**
 * `fn` over every item with at most `limit` calls in flight, results in input order. A call
 * that throws does not stop the others: its slot holds `{ error }`. `stop()`, checked before each
 * new call, ends the scheduling early (the calls in flight still finish); items never started
 * hold `{ skipped: true }`.
 */
export type Settled<R> = { value: R } | { error: unknown } | { skipped: true };

export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  opts: { stop?: () => boolean; onSettled?: (index: number, result: Settled<R>) => void } = {},
): Promise<Settled<R>[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const results: Settled<R>[] = items.map(() => ({ skipped: true }));
  let next = 0;
  const lane = async () => {
    while (next < items.length && !opts.stop?.()) {
      const i = next++;
      try {
        results[i] = { value: await fn(items[i], i) };
      } catch (error) {
        results[i] = { error };
      }
      opts.onSettled?.(i, results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
