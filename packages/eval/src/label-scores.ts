import type { LabelScore } from '@whetstone/core';

export interface LabelScores {
  per_label: LabelScore[];
  /** Mean F1 over the labels that occur in the references or the predictions. */
  macro_f1: number;
  /** Mean F1 weighted by support. */
  weighted_f1: number;
}

/**
 * Precision, recall and F1 per label (each 0 to 100) from a confusionMatrix: a prediction that
 * named no label (the last column) lowers its reference label's recall and no label's
 * precision. Like scikit-learn's precision_recall_fscore_support(labels=..., zero_division=0):
 * a label never predicted has precision 0, one never referenced recall 0. Macro-F1 leaves out
 * labels neither referenced nor predicted (nothing was measured for them), which is what
 * scikit-learn's f1_score(average='macro') gives without `labels`.
 */
export function labelScores(confusion: readonly (readonly number[])[], labels: readonly string[]): LabelScores {
  const n = labels.length;
  const perLabel: LabelScore[] = [];
  let macroSum = 0;
  let macroCount = 0;
  let weightedSum = 0;
  let supportSum = 0;
  for (let j = 0; j < n; j++) {
    const row = confusion[j]!;
    const tp = row[j]!;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let i = 0; i < n; i++) predicted += confusion[i]![j]!;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel.push({ label: labels[j]!, precision: 100 * precision, recall: 100 * recall, f1: 100 * f1, support });
    if (support > 0 || predicted > 0) {
      macroSum += f1;
      macroCount += 1;
    }
    weightedSum += f1 * support;
    supportSum += support;
  }
  return {
    per_label: perLabel,
    macro_f1: macroCount === 0 ? 0 : (100 * macroSum) / macroCount,
    weighted_f1: supportSum === 0 ? 0 : (100 * weightedSum) / supportSum,
  };
}
