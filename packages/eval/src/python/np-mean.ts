/**
 * `float(np.mean(values))` for a list of floats, bit for bit: numpy sums a contiguous float64
 * array pairwise (8 accumulators up to 128 items, halving above), then divides by the count.
 * LLaMA-Factory averages its per-sample scores this way. An empty list gives 0 (numpy: nan).
 */
export function npMean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  return pairwiseSum(values, 0, values.length) / values.length;
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    }
    let res = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
