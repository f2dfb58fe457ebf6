import { describe, expect, it } from 'vitest';
import { m4Rows, pickRows } from './decimate.ts';

/** A noisy loss curve over `n` steps with a few one-step spikes, and a second curve. */
function run(n: number) {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const loss = steps.map((s) => 3 / Math.sqrt(s) + rand() * 0.1);
  const lr = steps.map((s) => 2e-4 * (1 - s / n));
  for (const at of [1234, 50_000, 99_998]) if (at < n) loss[at] = 40;
  return [steps, loss, lr];
}

/** Per pixel bucket of [x0, x1], the min and max of every curve over the given rows. */
function extremes(columns: (number | null)[][], rows: number[], x0: number, x1: number, buckets: number) {
  const out = new Map<string, number>();
  for (const r of rows) {
    const b = Math.min(buckets - 1, Math.floor(((columns[0]![r]! - x0) / (x1 - x0)) * buckets));
    for (let c = 1; c < columns.length; c++) {
      const v = columns[c]![r];
      if (v === null || v === undefined) continue;
      const lo = out.get(`${b}:${c}:min`);
      const hi = out.get(`${b}:${c}:max`);
      if (lo === undefined || v < lo) out.set(`${b}:${c}:min`, v);
      if (hi === undefined || v > hi) out.set(`${b}:${c}:max`, v);
    }
  }
  return out;
}

describe('m4Rows', () => {
  it('keeps, per pixel column, each curve’s min and max, so every spike is drawn from a few thousand rows', () => {
    const columns = run(100_000);
    const rows = m4Rows(columns, 1000);
    expect(rows.length).toBeLessThanOrEqual(1000 * 6);
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1]).toBe(99_999);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(new Set(rows).size).toBe(rows.length);
    for (const spike of [1234, 50_000, 99_998]) expect(rows).toContain(spike);
    const all = Array.from({ length: 100_000 }, (_, i) => i);
    expect(extremes(columns, rows, 1, 100_000, 1000)).toEqual(extremes(columns, all, 1, 100_000, 1000));
  });

  it('gives every row back when there are fewer rows than pixels', () => {
    const columns = run(300);
    expect(m4Rows(columns, 1000)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('keeps a gap inside a bucket, so a curve drawn without spanning gaps still breaks there', () => {
    const steps = Array.from({ length: 100 }, (_, i) => i);
    const loss: (number | null)[] = steps.map((s) => 1 + s / 100);
    loss[42] = null;
    const rows = m4Rows([steps, loss], 4);
    expect(rows).toContain(42);
    expect(pickRows([steps, loss], rows)[1]).toContain(null);
  });

  it('decimates a zoom at full resolution and keeps an outline of the rest, first and last rows included', () => {
    const columns = run(100_000);
    const rows = m4Rows(columns, 1000, { min: 40_000.5, max: 40_500.5 });
    const inside = rows.filter((r) => columns[0]![r]! >= 40_000.5 && columns[0]![r]! <= 40_500.5);
    // 500 steps in view on 1000 pixels: every one of them is drawn.
    expect(inside).toEqual(Array.from({ length: 500 }, (_, i) => 40_000 + i));
    expect(rows).toContain(0);
    expect(rows).toContain(99_999);
    // The rows on either side of the view, so the lines run to its edges.
    expect(rows).toContain(39_999);
    expect(rows).toContain(40_500);
    expect(rows.length).toBeLessThan(500 + 2 * 32 * 6 + 1);
  });

  it('draws nothing from nothing', () => {
    expect(m4Rows([[], []], 1000)).toEqual([]);
    expect(pickRows([[], []], [])).toEqual([[], []]);
  });
});
