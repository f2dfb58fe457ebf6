import { describe, expect, it } from 'vitest';

import { isWhetError } from '@whetstone/core';

import { accuracy, matchLabel } from './accuracy.ts';

describe('accuracy without a label set', () => {
  it('is the exact-match rate over normalized answers, 0 to 100', () => {
    const r = accuracy(['Positive.', 'negative', 'neutral!', 'positive'], ['positive', 'Negative', 'positive', 'negative']);
    expect(r).toMatchObject({ accuracy: 50, correct: 2, total: 4, invalid: 0 });
    expect(r.per_label).toEqual({ positive: { total: 2, correct: 1 }, negative: { total: 2, correct: 1 } });
  });

  it('is 0 for no samples and refuses lists of different lengths', () => {
    expect(accuracy([], []).accuracy).toBe(0);
    let err: unknown;
    try {
      accuracy(['a'], ['a', 'b']);
    } catch (e) {
      err = e;
    }
    expect(isWhetError(err) && err.code).toBe('INVALID_REQUEST');
    expect((err as Error).message).toBe('accuracy got 1 predictions and 2 references');
  });
});

describe('accuracy with a label set', () => {
  const labels = ['positive', 'very positive', 'negative', '正面', '负面'];

  it('maps a verbose prediction to the label it names first, the longer one on a tie', () => {
    expect(matchLabel('the answer is negative', labels)).toBe('negative');
    expect(matchLabel('very positive indeed', labels)).toBe('very positive');
    expect(matchLabel('negative, not positive', labels)).toBe('negative');
    expect(matchLabel('这条评论是正面的', labels)).toBe('正面');
    expect(matchLabel('nonnegative', labels)).toBeUndefined(); // inside a longer word
    expect(matchLabel('no idea', labels)).toBeUndefined();
  });

  it('counts predictions that name no label as wrong and invalid', () => {
    const r = accuracy(['Answer: Positive.', '情感：负面。', 'I cannot tell', 'NEGATIVE'], ['positive', '负面', 'negative', 'positive'], { labels });
    expect(r).toMatchObject({ accuracy: 50, correct: 2, total: 4, invalid: 1 });
    expect(r.per_label.positive).toEqual({ total: 2, correct: 1 });
    expect(r.per_label.negative).toEqual({ total: 1, correct: 0 });
  });

  it('refuses references outside the label set, naming them', () => {
    let err: unknown;
    try {
      accuracy(['positive', 'meh'], ['positive', 'mixed'], { labels });
    } catch (e) {
      err = e;
    }
    expect(isWhetError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', field: 'labels' });
    expect((err as Error).message).toBe('references outside the label set: "mixed"');
  });
});
