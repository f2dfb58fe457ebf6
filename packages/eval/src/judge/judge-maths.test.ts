import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
import { bootstrapInterval, mean, quantile } from './bootstrap-interval.ts';
import { pairwiseOutcome } from './pairwise-outcome.ts';
import { parsePairVerdict, parseScore } from './parse-verdict.ts';
import { meanLengthChars, winRate } from './win-rate.ts';

describe('parseScore', () => {
  it('reads MT-Bench\'s "Rating: [[7]]", the last one when the format is quoted first', () => {
    expect(parseScore('The answer is fine.\nRating: [[7]]')).toBe(7);
    expect(parseScore('I must answer like "[[5]]". My verdict: [[8.5]]')).toBe(8.5);
    expect(parseScore('评分：【9】')).toBe(9);
    expect(parseScore('回答准确。评分：［［６］］')).toBe(6);
  });
  it('falls back to "Rating: 7", "7/10" and "[7]"', () => {
    expect(parseScore('Rating: 4')).toBe(4);
    expect(parseScore('score = 3.5 overall')).toBe(3.5);
    expect(parseScore('I give it 9/10.')).toBe(9);
    expect(parseScore('verdict [2]')).toBe(2);
  });
  it('is null for text without a score, or a score off the 1-10 scale', () => {
    for (const t of ['', 'a fine answer', 'Rating: [[11]]', '[[0]]', 'Rating: [[A]]', 'ĠhelloĠworld 42']) expect(parseScore(t)).toBeNull();
  });
});

describe('parsePairVerdict', () => {
  it('reads the last [[A]] / [[B]] / [[C]], tie spelt out too', () => {
    expect(parsePairVerdict('Final verdict: [[A]]')).toBe('A');
    expect(parsePairVerdict('output "[[A]]" if A is better ... I pick [[B]]')).toBe('B');
    expect(parsePairVerdict('[[C]]')).toBe('tie');
    expect(parsePairVerdict('[[tie]]')).toBe('tie');
    expect(parsePairVerdict('最终裁决：［［a］］')).toBe('A');
    expect(parsePairVerdict('【【B】】')).toBe('B');
  });
  it('is null without a bracketed verdict', () => {
    for (const t of ['A is better', '[A]', '[[D]]', '']) expect(parsePairVerdict(t)).toBeNull();
  });
});

describe('pairwiseOutcome: both orders, inconsistent = tie', () => {
  it('a winner only when both orders agree after undoing the swap', () => {
    // first: a is assistant A; swapped: b is assistant A.
    expect(pairwiseOutcome('A', 'B')).toEqual({ outcome: 'a', inconsistent: false });
    expect(pairwiseOutcome('B', 'A')).toEqual({ outcome: 'b', inconsistent: false });
    expect(pairwiseOutcome('tie', 'tie')).toEqual({ outcome: 'tie', inconsistent: false });
  });
  it('a judge that always picks the same position gives ties, never wins', () => {
    expect(pairwiseOutcome('A', 'A')).toEqual({ outcome: 'tie', inconsistent: true });
    expect(pairwiseOutcome('B', 'B')).toEqual({ outcome: 'tie', inconsistent: true });
  });
  it('a win in one order and a tie in the other is an inconsistent tie; unreadable is invalid', () => {
    expect(pairwiseOutcome('A', 'tie')).toEqual({ outcome: 'tie', inconsistent: true });
    expect(pairwiseOutcome('tie', 'A')).toEqual({ outcome: 'tie', inconsistent: true });
    expect(pairwiseOutcome(null, 'A')).toEqual({ outcome: 'invalid', inconsistent: false });
    expect(pairwiseOutcome('B', null)).toEqual({ outcome: 'invalid', inconsistent: false });
  });
});

describe('win rate and its bootstrap interval', () => {
  it('counts a tie as half a win and leaves invalid samples out', () => {
    const r = winRate(['a', 'a', 'b', 'tie', 'invalid']);
    expect(r).toMatchObject({ wins: 2, losses: 1, ties: 1, invalid: 1 });
    expect(r.win_rate).toBe(2.5 / 4);
    expect(r.ci95![0]).toBeLessThanOrEqual(r.win_rate!);
    expect(r.ci95![1]).toBeGreaterThanOrEqual(r.win_rate!);
    expect(winRate(['invalid'])).toMatchObject({ win_rate: null, ci95: null });
    expect(winRate(['tie', 'tie', 'tie'])).toMatchObject({ win_rate: 0.5, ci95: [0.5, 0.5] });
  });

  it('is deterministic for a seed and changes with it', () => {
    const outcomes = Array.from({ length: 40 }, (_, i) => (['a', 'b', 'tie', 'a', 'a'] as const)[i % 5]);
    expect(winRate(outcomes, { seed: 7 })).toEqual(winRate(outcomes, { seed: 7 }));
    const scores = Array.from({ length: 30 }, (_, i) => 1 + ((i * 7) % 10) + i / 100); // no two alike
    expect(bootstrapInterval(scores, mean, { seed: 7 })).toEqual(bootstrapInterval(scores, mean, { seed: 7 }));
    expect(bootstrapInterval(scores, mean, { seed: 7 })).not.toEqual(bootstrapInterval(scores, mean, { seed: 8 }));
  });

  it('matches the normal approximation for a large sample (p = 0.7, n = 400)', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i % 10 < 7 ? 1 : 0));
    const [lo, hi] = bootstrapInterval(values, mean, { resamples: 2000, seed: 1 })!;
    const half = 1.96 * Math.sqrt((0.7 * 0.3) / 400); // 0.0449
    expect(lo).toBeCloseTo(0.7 - half, 2);
    expect(hi).toBeCloseTo(0.7 + half, 2);
  });

  it('gives the exact quantiles of a two-point sample: means 0, .5, 1 with odds 1:2:1', () => {
    expect(bootstrapInterval([0, 1], mean, { resamples: 4000, seed: 3 })).toEqual([0, 1]);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('draws uniformly: a seeded stream averages 1/2 and fills ten bins evenly', () => {
    const random = seededRandom(42);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random() * 10)]++;
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(400);
  });

  it('measures answer length in code points (a Chinese character or emoji is one)', () => {
    expect(meanLengthChars(['abcd', '北京', null])).toBe(3);
    expect(meanLengthChars(['😀'])).toBe(1);
    expect(meanLengthChars([null])).toBe(0);
  });
});
