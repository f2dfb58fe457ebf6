/** One metric over steps, sorted by step; a step logged twice (a resumed run) keeps its last value. */
export interface Series {
  steps: number[];
  values: number[];
}

export interface MetricPointLike {
  step: number;
  name: string;
  value: number | null;
}

/** The named series of a job's metric points (`null`, as JSON carries NaN and Infinity, becomes NaN). */
export function metricSeries(points: readonly MetricPointLike[]): Map<string, Series> {
  const byName = new Map<string, Map<number, number>>();
  for (const p of points) {
    let m = byName.get(p.name);
    if (!m) byName.set(p.name, (m = new Map()));
    m.set(p.step, p.value === null ? Number.NaN : p.value);
  }
  const out = new Map<string, Series>();
  for (const [name, m] of byName) {
    const steps = [...m.keys()].sort((a, b) => a - b);
    out.set(name, { steps, values: steps.map((s) => m.get(s)!) });
  }
  return out;
}

export const EMPTY_SERIES: Series = { steps: [], values: [] };

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A number for a sentence: `digits` significant digits, no trailing zeros, small ones as 9.8e-8. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}

/** A change as a signed percentage: "+57%", "-60%". */
export function pct(from: number, to: number): string {
  const p = ((to - from) / Math.abs(from)) * 100;
  return `${p >= 0 ? '+' : ''}${Math.abs(p) >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}
