import { bisect } from './bisect.ts';

/** Columns sharing one x column, as uPlot takes them: x first, then one column per curve. */
export type Columns = readonly ArrayLike<number | null | undefined>[];

/** Buckets for the rows left and right of a zoomed window (kept so the full-range lines, a double-click reset and the zoom test still see every end). */
const OUTSIDE_BUCKETS = 32;

/**
 * M4 decimation (Jugel et al., VLDB 2014): the x range is cut into one bucket per pixel column,
 * and of each bucket only the rows holding the first and last x and, for every curve, its
 * smallest and largest value are kept, plus the first gap (a null) so a curve drawn without
 * spanning gaps still breaks there. A line chart drawn from these rows covers the same pixels
 * as one drawn from all of them, so every spike stays, and 100,000 points per curve cost a
 * redraw of a few thousand.
 *
 * `window` (a zoom) gets `buckets` of its own; rows outside it keep a coarse outline, so the
 * first and last rows of all the data are always there. Rows must be in x order. Returns the
 * kept row numbers, ascending.
 */
export function m4Rows(columns: Columns, buckets: number, window: { min: number; max: number } | null = null): number[] {
  const xs = columns[0] ?? [];
  const n = xs.length;
  if (n === 0) return [];
  const first = xs[0]!;
  const last = xs[n - 1]!;
  const lo = window ? Math.max(window.min, first) : first;
  const hi = window ? Math.min(window.max, last) : last;
  const out: number[] = [];
  // Row ranges: the rows before the window, inside it, after it; each with its own buckets.
  const start = window ? bisect(xs, lo) : 0;
  const end = window ? bisect(xs, hi, true) : n;
  if (start > 0) bucketRows(columns, 0, start, first, lo, OUTSIDE_BUCKETS, out);
  bucketRows(columns, start, end, lo, hi, Math.max(1, Math.floor(buckets)), out);
  if (end < n) bucketRows(columns, end, n, hi, last, OUTSIDE_BUCKETS, out);
  return out;
}

/** The rows `rows` of every column (what uPlot draws after `m4Rows`). */
export function pickRows(columns: Columns, rows: readonly number[]): (number | null)[][] {
  return Array.from(columns, (column) => {
    const picked: (number | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) picked[i] = column[rows[i]!] ?? null;
    return picked;
  });
}

/** Appends to `out` the M4 rows of rows [from, to), whose x lie in [x0, x1], cut into `buckets`. */
function bucketRows(columns: Columns, from: number, to: number, x0: number, x1: number, buckets: number, out: number[]): void {
  if (from >= to) return;
  const xs = columns[0]!;
  const curves = columns.length - 1;
  const scale = x1 > x0 ? buckets / (x1 - x0) : 0;
  // Per curve, the rows of this bucket's min, max and first gap (-1: none yet).
  const minRow = new Int32Array(curves);
  const maxRow = new Int32Array(curves);
  const gapRow = new Int32Array(curves);
  const kept: number[] = [];
  let bucket = -1;
  let bucketStart = from;
  const flush = (end: number) => {
    kept.length = 0;
    kept.push(bucketStart, end - 1);
    for (let c = 0; c < curves; c++) {
      if (minRow[c]! >= 0) kept.push(minRow[c]!, maxRow[c]!);
      if (gapRow[c]! >= 0) kept.push(gapRow[c]!);
    }
    kept.sort((a, b) => a - b);
    for (let i = 0; i < kept.length; i++) if (i === 0 || kept[i] !== kept[i - 1]) out.push(kept[i]!);
  };
  for (let row = from; row < to; row++) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((xs[row]! - x0) * scale)));
    if (b !== bucket) {
      if (bucket >= 0) flush(row);
      bucket = b;
      bucketStart = row;
      minRow.fill(-1);
      maxRow.fill(-1);
      gapRow.fill(-1);
    }
    for (let c = 0; c < curves; c++) {
      const v = columns[c + 1]![row];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        if (gapRow[c] === -1) gapRow[c] = row;
        continue;
      }
      const lo = minRow[c]!;
      if (lo === -1) {
        minRow[c] = row;
        maxRow[c] = row;
      } else if (v < (columns[c + 1]![lo] as number)) minRow[c] = row;
      else if (v > (columns[c + 1]![maxRow[c]!] as number)) maxRow[c] = row;
    }
  }
  flush(to);
}
