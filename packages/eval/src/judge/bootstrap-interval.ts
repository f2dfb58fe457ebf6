import { seededRandom } from '../seeded-random.ts';

/**
 * The percentile bootstrap interval of a statistic: `resamples` samples of `values` drawn with
 * replacement, the statistic of each, and the (1 - level) / 2 and (1 + level) / 2 quantiles of
 * those (linear interpolation, numpy's default). Null for no values.
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: number[]) => number,
  opts: { resamples?: number; seed?: number; level?: number } = {},
): [number, number] | null {
  const n = values.length;
  if (n === 0) return null;
  const { resamples = 1000, seed = 0, level = 0.95 } = opts;
  const random = seededRandom(seed);
  const stats = new Float64Array(resamples);
  const sample = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(random() * n)];
    stats[r] = statistic(sample);
  }
  stats.sort();
  return [quantile(stats, (1 - level) / 2), quantile(stats, (1 + level) / 2)];
}

/** The q-quantile of sorted values, interpolating linearly between neighbours. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
