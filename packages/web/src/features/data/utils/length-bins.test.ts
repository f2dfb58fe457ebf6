import { describe, expect, it } from 'vitest';
import { lengthBins, niceWidth, seqLenCovering } from './length-bins.ts';

describe('lengthBins', () => {
  it('spreads the lengths over round-width bins from 0 to the longest, keeping every sample', () => {
    const counts: [number, number][] = [
      [12, 3],
      [30, 5],
      [31, 1],
      [97, 2],
    ];
    const bins = lengthBins(counts, 24);
    expect(bins[0]).toEqual({ from: 0, to: 5, count: 0 });
    expect(bins.at(-1)).toEqual({ from: 95, to: 100, count: 2 });
    expect(bins.length).toBe(20);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(11);
    expect(bins.find((b) => b.from === 30)!.count).toBe(6);
  });

  it('handles one length, long samples and no data', () => {
    expect(lengthBins([[0, 4]])).toEqual([{ from: 0, to: 1, count: 4 }]);
    const long = lengthBins([
      [100, 1],
      [70_000, 1],
    ]);
    expect(long.length).toBeLessThanOrEqual(24);
    expect(long.at(-1)!.to).toBeGreaterThan(70_000);
    expect(lengthBins([])).toEqual([]);
  });

  it('picks 1-2-5 widths and the 256-multiples the advice uses', () => {
    expect([0.5, 1, 3, 7, 12, 130, 4100].map(niceWidth)).toEqual([1, 1, 5, 10, 20, 200, 5000]);
    expect([1, 256, 257, 1000].map(seqLenCovering)).toEqual([256, 256, 512, 1024]);
  });
});
