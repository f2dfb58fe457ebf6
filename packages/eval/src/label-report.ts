import type { LabelMetrics } from '@whetstone/core';

import { matchLabel } from './accuracy.ts';
import { confusionMatrix } from './confusion-matrix.ts';
import { normalizeAnswer, type NormalizeOptions } from './exact-match.ts';
import { labelScores } from './label-scores.ts';
import { prepareLabelSet } from './label-set.ts';

/**
 * The classification report of generated answers: each answer mapped to the label it names (as
 * `accuracy` maps it; none = invalid), then per-label precision, recall and F1, macro- and
 * weighted-F1 and the confusion matrix, labels spelled as the user gave them. References
 * outside the label set are refused (INVALID_REQUEST naming them).
 */
export function labelReport(predictions: readonly string[], references: readonly string[], labels: readonly string[], opts: NormalizeOptions = {}): LabelMetrics {
  const set = prepareLabelSet(labels, references, opts);
  const refs = references.map((r) => normalizeAnswer(r, opts));
  const preds = predictions.map((p) => matchLabel(normalizeAnswer(p, opts), set.normalized) ?? null);
  const confusion = confusionMatrix(refs, preds, set.normalized);
  return { labels: set.names, ...labelScores(confusion, set.names), confusion };
}
