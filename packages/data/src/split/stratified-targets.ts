import { SeededRandom } from '../random/seeded-random.ts';

/**
 * Where each row goes (0 train, 1 validation, 2 test) when the held-out rows keep each group's
 * share: every group (a label, or the rows outside the label set) gives validation and test their
 * proportional number of rows, within one row (largest remainder), and keeps at least one row in
 * train when it is a label. Which rows of a group are held out is drawn with `seed`.
 *
 * `groupOf[i]` is row i's group in [0, groups); `keepOne[g]`: group g keeps a row for training.
 */
export function stratifiedTargets(groupOf: ArrayLike<number>, groups: number, keepOne: (g: number) => boolean, nVal: number, nTest: number, seed: number): Uint8Array {
  const n = groupOf.length;
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < n; i++) members[groupOf[i]!]!.push(i);
  const sizes = members.map((m) => m.length);
  const caps = sizes.map((s, g) => Math.max(0, keepOne(g) ? s - 1 : s));
  const val = allocate(nVal, sizes, n, caps);
  const test = allocate(
    nTest,
    sizes,
    n,
    caps.map((c, g) => c - val[g]!),
  );
  const target = new Uint8Array(n);
  const rng = new SeededRandom(seed);
  members.forEach((rows, g) => {
    const picked = rng.sample(rows.length, val[g]! + test[g]!);
    for (let k = 0; k < picked.length; k++) target[rows[picked[k]!]!] = k < val[g]! ? 1 : 2;
  });
  return target;
}

/**
 * `k` rows shared among groups in proportion to their sizes (largest remainder), none past its cap.
 * Remainders go to the largest fractions first, then to larger groups, so rare labels stay in train.
 */
function allocate(k: number, sizes: number[], n: number, caps: number[]): number[] {
  if (k <= 0 || n === 0) return sizes.map(() => 0);
  const quota = sizes.map((s) => (k * s) / n);
  const out = quota.map((q, g) => Math.min(Math.floor(q), caps[g]!));
  let left = k - out.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, g) => g).sort((a, b) => quota[b]! - Math.floor(quota[b]!) - (quota[a]! - Math.floor(quota[a]!)) || sizes[b]! - sizes[a]! || a - b);
  // Usually one pass; more only when caps (tiny labels) turn rows away.
  for (let moved = true; left > 0 && moved; ) {
    moved = false;
    for (const g of order) {
      if (left === 0) break;
      if (out[g]! < caps[g]!) {
        out[g]!++;
        left--;
        moved = true;
      }
    }
  }
  return out;
}
