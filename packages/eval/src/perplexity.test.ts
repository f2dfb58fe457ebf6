import { describe, expect, it } from 'vitest';

import { perplexity } from './perplexity.ts';

describe('perplexity', () => {
  it('is exp(eval_loss)', () => {
    expect(perplexity(0)).toBe(1);
    expect(perplexity(Math.log(20))).toBeCloseTo(20, 12);
    expect(perplexity(2.302585092994046)).toBeCloseTo(10, 12);
  });

  it('overflows to Infinity past ~709.78 nats', () => {
    expect(perplexity(709)).toBeLessThan(Infinity);
    expect(perplexity(710)).toBe(Infinity);
  });

  it('refuses NaN, infinite and negative losses with a hint', () => {
    for (const bad of [Number.NaN, Infinity, -0.1]) {
      expect(() => perplexity(bad)).toThrow(/perplexity needs a finite eval loss >= 0/);
    }
  });
});
