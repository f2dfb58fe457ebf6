/** Order statistics of per-sample lengths. */
export interface LengthSummary {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Power-of-two buckets that line up with the usual max_seq_len and context values. */
export const HISTOGRAM_EDGES = [0, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

export interface LengthHistogram {
  /** counts[i] samples have edges[i] <= length < edges[i + 1]; the last bucket is open-ended. */
  edges: number[];
  counts: number[];
}

/** A growable list of non-negative integer lengths, one per sample. */
export class LengthList {
  private data = new Uint32Array(1024);
  length = 0;
  sum = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
    this.sum += v;
  }

  sorted(): Uint32Array {
    return this.data.slice(0, this.length).sort();
  }
}

/** Nearest-rank percentile (the smallest value with at least p% of samples at or below it). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(sorted: ArrayLike<number>, sum: number): LengthSummary {
  const n = sorted.length;
  if (n === 0) return { min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    min: sorted[0]!,
    mean: Math.round((sum / n) * 10) / 10,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[n - 1]!,
  };
}

export function histogram(sorted: ArrayLike<number>): LengthHistogram {
  const counts = new Array<number>(HISTOGRAM_EDGES.length).fill(0);
  let b = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    while (b + 1 < HISTOGRAM_EDGES.length && v >= HISTOGRAM_EDGES[b + 1]!) b++;
    counts[b]!++;
  }
  return { edges: HISTOGRAM_EDGES, counts };
}

/** At most this many [length, count] pairs are kept for exact "how many exceed N" answers. */
export const MAX_LENGTH_COUNTS = 2000;

/**
 * The whole distribution as [length, count] pairs. With more distinct lengths than
 * MAX_LENGTH_COUNTS, lengths are rounded up to a bucket, so counts of samples longer than a
 * limit stay on the safe side (never under-reported).
 */
export function lengthCounts(sorted: ArrayLike<number>): { pairs: [number, number][]; bucket: number } {
  const n = sorted.length;
  let bucket = 1;
  for (;;) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const v = Math.ceil(sorted[i]! / bucket) * bucket;
      const last = pairs[pairs.length - 1];
      if (last && last[0] === v) last[1]++;
      else {
        if (pairs.length >= MAX_LENGTH_COUNTS) break;
        pairs.push([v, 1]);
      }
    }
    const counted = pairs.reduce((s, p) => s + p[1], 0);
    if (counted === n) return { pairs, bucket };
    bucket *= 2;
  }
}

/** Samples longer than `limit` according to [length, count] pairs. */
export function countAbove(pairs: readonly [number, number][], limit: number): number {
  let n = 0;
  for (const [len, c] of pairs) if (len > limit) n += c;
  return n;
}
