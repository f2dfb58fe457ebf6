import { describe, expect, it } from 'vitest';
import { emaSmooth, MAX_SMOOTHING } from './ema-smooth.ts';

describe('emaSmooth', () => {
  it('gives the values back unchanged at weight 0, a loss of exactly 0 included', () => {
    expect(emaSmooth([3, 2, 0, 1], 0)).toEqual([3, 2, 0, 1]);
  });

  it('is debiased: the first point is the first value, not pulled towards 0', () => {
    const s = emaSmooth([4, 2], 0.5);
    expect(s[0]).toBe(4);
    // last = (0.5*(0.5*0 + 0.5*4) + 0.5*2) = 2, divided by 1 - 0.25
    expect(s[1]).toBeCloseTo(2 / 0.75, 12);
  });

  it('matches TensorBoard on a longer series', () => {
    const values = [10, 8, 9, 5, 4, 6, 3];
    const w = 0.6;
    let last = 0;
    const want = values.map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - w ** (i + 1));
    });
    emaSmooth(values, w).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });

  it('keeps gaps as gaps and does not count them', () => {
    const s = emaSmooth([null, 4, null, 2], 0.5);
    expect(s[0]).toBeNull();
    expect(s[1]).toBe(4);
    expect(s[2]).toBeNull();
    expect(s[3]).toBeCloseTo(2 / 0.75, 12);
  });

  it('clamps the weight into 0..0.99 (a bad value smooths nothing)', () => {
    expect(emaSmooth([1, 2], -1)).toEqual([1, 2]);
    expect(emaSmooth([1, 2], Number.NaN)).toEqual([1, 2]);
    expect(emaSmooth([1, 2], 5)).toEqual(emaSmooth([1, 2], MAX_SMOOTHING));
    expect(emaSmooth([1, 2], 5)[1]).toBeGreaterThan(1);
  });
});
