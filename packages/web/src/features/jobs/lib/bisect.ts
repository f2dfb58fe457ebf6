/**
 * The first index of sorted `xs` whose value is at least `x` (`after`: above `x`): where `x` would
 * be inserted to keep the order. Binary search, O(log n).
 */
export function bisect(xs: ArrayLike<number | null | undefined>, x: number, after = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = xs[mid] as number;
    if (v < x || (after && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
