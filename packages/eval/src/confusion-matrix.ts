import { WhetError } from '@whetstone/core';

/**
 * Counts (reference, prediction) pairs: row i = reference labels[i], column j = prediction
 * labels[j], and one last column for predictions that are no label (null: the answer named
 * none). Like scikit-learn's confusion_matrix(y_true, y_pred, labels=labels) with that extra
 * column. A reference outside the label set is an INVALID_REQUEST.
 */
export function confusionMatrix(references: readonly string[], predictions: readonly (string | null)[], labels: readonly string[]): number[][] {
  if (predictions.length !== references.length) {
    throw new WhetError('INVALID_REQUEST', `confusionMatrix got ${predictions.length} predictions and ${references.length} references`, {
      hint: 'Pass one prediction per reference, in the same order.',
    });
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const invalid = labels.length;
  const matrix = labels.map(() => new Array<number>(labels.length + 1).fill(0));
  references.forEach((ref, k) => {
    const row = index.get(ref);
    if (row === undefined) {
      throw new WhetError('INVALID_REQUEST', `reference ${JSON.stringify(ref)} (row ${k + 1}) is not in the label set`, { hint: `Labels are ${labels.map((l) => JSON.stringify(l)).join(', ')}.`, field: 'labels' });
    }
    const pred = predictions[k];
    matrix[row]![(pred === null ? undefined : index.get(pred)) ?? invalid]! += 1;
  });
  return matrix;
}

/**
 * Label accuracy read off a confusion matrix (rows: references; columns: the labels, then
 * "invalid"): correct is the diagonal, invalid the last column. The same figures `accuracy`
 * gives with a label set, without mapping the answers a second time.
 */
export function accuracyOfConfusion(confusion: readonly (readonly number[])[]): { accuracy: number; correct: number; total: number; invalid: number } {
  let correct = 0;
  let total = 0;
  let invalid = 0;
  confusion.forEach((row, i) => {
    correct += row[i] ?? 0;
    invalid += row.at(-1) ?? 0;
    for (const n of row) total += n;
  });
  return { accuracy: total === 0 ? 0 : (100 * correct) / total, correct, total, invalid };
}
