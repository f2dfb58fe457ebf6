import { describe, expect, it } from 'vitest';
import { fitWithin } from './fit-within.ts';

describe('fitWithin', () => {
  it('counts the samples longer than the limit and the share kept whole, rounded down', () => {
    expect(fitWithin([[100, 588], [300, 400], [600, 12]], 512)).toEqual({ percent: 98.8, cut: 12, samples: 1000 });
    expect(fitWithin([[100, 1999], [900, 1]], 512)).toEqual({ percent: 99.9, cut: 1, samples: 2000 });
    expect(fitWithin([[512, 3]], 512)).toEqual({ percent: 100, cut: 0, samples: 3 });
    expect(fitWithin([], 512).percent).toBe(100);
  });
});
