export interface LengthBin {
  /** Tokens from (inclusive) … */
  from: number;
  /** … to (exclusive). */
  to: number;
  count: number;
}

/** A round bin width near `raw`: 1, 2 or 5 times a power of ten. */
export function niceWidth(raw: number): number {
  if (raw <= 1) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * Samples per length, from the server's `[tokens, samples]` pairs, in at most `maxBins` bins of
 * one round width from 0 to the longest sample, so the histogram's shape reads at any scale
 * (the power-of-two buckets put a small dataset in a single bar).
 */
export function lengthBins(lengthCounts: readonly (readonly [number, number])[], maxBins = 24): LengthBin[] {
  if (lengthCounts.length === 0) return [];
  const longest = Math.max(...lengthCounts.map(([t]) => t));
  const width = niceWidth((longest + 1) / maxBins);
  const n = Math.floor(longest / width) + 1;
  const bins: LengthBin[] = Array.from({ length: n }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (const [tokens, samples] of lengthCounts) bins[Math.floor(tokens / width)]!.count += samples;
  return bins;
}

/** The max_seq_len people usually pick that covers `tokens`: the next multiple of 256 (at least 256), as the server advises. */
export function seqLenCovering(tokens: number): number {
  return Math.max(256, Math.ceil(tokens / 256) * 256);
}
