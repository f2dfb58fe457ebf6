/** The slider's range: 0 is the raw curve, 0.99 the smoothest; 1 would freeze the curve at its start. */
export const MAX_SMOOTHING = 0.99;

/**
 * TensorBoard's smoothing: an exponential moving average, debiased so the first points are not
 * pulled towards 0 (the average starts at 0 and is divided by 1 - weight^n). Gaps (null) stay
 * gaps and do not count as points; weight 0 gives the values back unchanged.
 */
export function emaSmooth(values: readonly (number | null | undefined)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), MAX_SMOOTHING);
  const out: (number | null)[] = new Array(values.length);
  let last = 0;
  let wn = 1; // weight^n, kept as a running product (a pow per point cost more than the rest)
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = v ?? null;
      continue;
    }
    last = last * w + (1 - w) * v;
    wn *= w;
    out[i] = w === 0 ? v : last / (1 - wn);
  }
  return out;
}
