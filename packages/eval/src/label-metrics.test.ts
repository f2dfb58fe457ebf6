import { describe, expect, it } from 'vitest';

import { isWhetError } from '@whetstone/core';

import { confusionMatrix } from './confusion-matrix.ts';
import { labelReport } from './label-report.ts';
import { labelScores } from './label-scores.ts';

// scikit-learn is not in the repo's .venv (and nothing may be installed for a test), so the
// fixtures are scikit-learn's own published outputs: the doctest examples of
// classification_report, precision_recall_fscore_support and confusion_matrix (sklearn.metrics,
// 1.x docs; doctests run in its CI). Their printed figures are rounded, so each is checked to
// the digits shown and, exactly, against the fractions they round. Ours are 0 to 100.
const pct = (x: number) => 100 * x;

function scores(yTrue: string[], yPred: (string | null)[], labels: string[]) {
  return labelScores(confusionMatrix(yTrue, yPred, labels), labels);
}

describe('labelScores against scikit-learn', () => {
  it('classification_report docstring: y_true [0,1,2,2,2], y_pred [0,0,2,2,1]', () => {
    // sklearn prints: class 0 0.50 1.00 0.67 1 / class 1 0.00 0.00 0.00 1 / class 2 1.00 0.67 0.80 3,
    // macro avg f1 0.49, weighted avg f1 0.61
    const r = scores(['0', '1', '2', '2', '2'], ['0', '0', '2', '2', '1'], ['0', '1', '2']);
    const rounded = r.per_label.map((s) => [s.precision, s.recall, s.f1].map((v) => Math.round(v) / 100).concat(s.support));
    expect(rounded).toEqual([
      [0.5, 1, 0.67, 1],
      [0, 0, 0, 1],
      [1, 0.67, 0.8, 3],
    ]);
    expect(r.per_label[0]!.f1).toBeCloseTo(pct(2 / 3), 10);
    expect(r.per_label[2]!.recall).toBeCloseTo(pct(2 / 3), 10);
    expect(r.macro_f1).toBeCloseTo(pct((2 / 3 + 0 + 0.8) / 3), 10); // 0.4889 -> "0.49"
    expect(r.weighted_f1).toBeCloseTo(pct((2 / 3 + 3 * 0.8) / 5), 10); // 0.6133 -> "0.61"
    expect(Math.round(r.macro_f1) / 100).toBe(0.49);
    expect(Math.round(r.weighted_f1) / 100).toBe(0.61);
  });

  it('precision_recall_fscore_support docstring: cat, dog, pig', () => {
    const yTrue = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
    const yPred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];
    // average='macro' -> f 0.26..., average='weighted' -> f 0.26...
    const r = scores(yTrue, yPred, ['cat', 'dog', 'pig']);
    expect(r.macro_f1).toBeCloseTo(pct(0.8 / 3), 10);
    expect(r.weighted_f1).toBeCloseTo(pct(0.8 / 3), 10);
    // average=None, labels=['pig', 'dog', 'cat'] -> p [0, 0, 0.66...], r [0, 0, 1], f [0, 0, 0.8], support [2, 2, 2]
    const ordered = scores(yTrue, yPred, ['pig', 'dog', 'cat']).per_label;
    expect(ordered.map((s) => s.label)).toEqual(['pig', 'dog', 'cat']);
    expect(ordered.map((s) => s.precision)).toEqual([0, 0, pct(2 / 3)]);
    expect(ordered.map((s) => s.recall)).toEqual([0, 0, 100]);
    expect(ordered.map((s) => s.f1)).toEqual([0, 0, expect.closeTo(80, 10)]);
    expect(ordered.map((s) => s.support)).toEqual([2, 2, 2]);
  });

  it('leaves labels neither referenced nor predicted out of macro-F1, as f1_score(average="macro") without labels does', () => {
    // f1_score(['a','a','b'], ['a','b','b'], average='macro') = 2/3 (a and b each 2/3); with
    // labels=['a','b','c'] sklearn would average in c's 0 and give 4/9.
    const r = scores(['a', 'a', 'b'], ['a', 'b', 'b'], ['a', 'b', 'c']);
    expect(r.macro_f1).toBeCloseTo(pct(2 / 3), 10);
    expect(r.per_label[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    // ...but a label predicted where it never occurs counts (its F1 is 0).
    expect(scores(['a', 'a', 'b'], ['a', 'c', 'b'], ['a', 'b', 'c']).macro_f1).toBeCloseTo(pct((2 / 3 + 1 + 0) / 3), 10);
  });

  it('is 0 everywhere for no rows', () => {
    expect(scores([], [], ['a', 'b'])).toEqual({
      per_label: [
        { label: 'a', precision: 0, recall: 0, f1: 0, support: 0 },
        { label: 'b', precision: 0, recall: 0, f1: 0, support: 0 },
      ],
      macro_f1: 0,
      weighted_f1: 0,
    });
  });
});

describe('confusionMatrix', () => {
  it('matches the confusion_matrix docstring: rows are references, columns predictions', () => {
    const m = confusionMatrix(['cat', 'ant', 'cat', 'cat', 'ant', 'bird'], ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'], ['ant', 'bird', 'cat']);
    // sklearn: [[2, 0, 0], [0, 0, 1], [1, 0, 2]]; ours adds the (empty) invalid column
    expect(m).toEqual([
      [2, 0, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 2, 0],
    ]);
  });

  it('puts answers that named no label in the last column: they cut recall, not precision', () => {
    const m = confusionMatrix(['pos', 'pos', 'neg', 'neg', 'neu'], ['pos', null, 'neg', 'pos', null], ['pos', 'neg', 'neu']);
    expect(m).toEqual([
      [1, 0, 0, 1],
      [1, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(5);
    // By hand with sklearn's definitions (an invalid answer is a prediction outside `labels`, zero_division=0):
    // pos p 1/2 r 1/2 f 1/2; neg p 1 r 1/2 f 2/3; neu p 0 r 0 f 0.
    const r = labelScores(m, ['pos', 'neg', 'neu']);
    expect(r.per_label.map((s) => [s.precision, s.recall, s.support])).toEqual([
      [50, 50, 2],
      [100, 50, 2],
      [0, 0, 1],
    ]);
    expect(r.per_label[1]!.f1).toBeCloseTo(pct(2 / 3), 10);
    expect(r.macro_f1).toBeCloseTo(pct((0.5 + 2 / 3 + 0) / 3), 10);
    expect(r.weighted_f1).toBeCloseTo(pct((2 * 0.5 + 2 * (2 / 3)) / 5), 10);
  });

  it('refuses a reference outside the label set and lists of different lengths', () => {
    let err: unknown;
    try {
      confusionMatrix(['a', 'x'], ['a', 'a'], ['a', 'b']);
    } catch (e) {
      err = e;
    }
    expect(isWhetError(err) && err.code).toBe('INVALID_REQUEST');
    expect((err as Error).message).toBe('reference "x" (row 2) is not in the label set');
    expect(() => confusionMatrix(['a'], [], ['a'])).toThrow('confusionMatrix got 0 predictions and 1 references');
  });
});

describe('labelReport', () => {
  it('maps verbose answers to labels, keeps the user\'s spelling, and counts answers that name none as invalid', () => {
    const r = labelReport(
      ['Answer: Positive.', 'negative', 'I cannot tell', 'POSITIVE', '这是负面的', 'neutral'],
      ['positive', 'Positive', 'negative', 'negative', '负面', 'neutral'],
      ['Positive', 'negative', 'neutral', '负面', 'positive'], // "positive" repeats "Positive" once normalized
    );
    expect(r.labels).toEqual(['Positive', 'negative', 'neutral', '负面']);
    expect(r.confusion).toEqual([
      [1, 1, 0, 0, 0],
      [1, 0, 0, 0, 1],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
    ]);
    expect(r.per_label.map((s) => s.support)).toEqual([2, 2, 1, 1]);
    expect(r.per_label[0]).toMatchObject({ label: 'Positive', precision: 50, recall: 50, f1: 50 });
    expect(r.per_label[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(r.macro_f1).toBeCloseTo((50 + 0 + 100 + 100) / 4, 10);
  });

  it('refuses references outside the label set, naming them', () => {
    expect(() => labelReport(['a'], ['mixed'], ['yes', 'no'])).toThrow('references outside the label set: "mixed"');
  });
});
