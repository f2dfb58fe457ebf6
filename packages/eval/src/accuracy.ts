import { WhetError } from '@whetstone/core';

import { normalizeAnswer, type NormalizeOptions } from './exact-match.ts';
import { prepareLabelSet } from './label-set.ts';

export interface AccuracyOptions extends NormalizeOptions {
  /**
   * The label set of a classification task. With it, each prediction is mapped to a label:
   * the label it equals once normalized, otherwise the label it mentions first (the longer
   * label when two start at the same place, so "very positive" beats "positive"); a
   * prediction that names no label counts as wrong and as `invalid`.
   */
  labels?: readonly string[];
}

export interface AccuracyResult {
  /** 0 to 100 */
  accuracy: number;
  correct: number;
  total: number;
  /** Predictions that named no label (only with a label set). */
  invalid: number;
  /** Per reference label (normalized): how many there were and how many were right. */
  per_label: Record<string, { total: number; correct: number }>;
}

/** Accuracy of label predictions; without a label set it is the exact-match rate. */
export function accuracy(predictions: readonly string[], references: readonly string[], opts: AccuracyOptions = {}): AccuracyResult {
  if (predictions.length !== references.length) {
    throw new WhetError('INVALID_REQUEST', `accuracy got ${predictions.length} predictions and ${references.length} references`, {
      hint: 'Pass one prediction per reference, in the same order.',
    });
  }
  const labels = opts.labels === undefined ? undefined : prepareLabelSet(opts.labels, references, opts).normalized;

  let correct = 0;
  let invalid = 0;
  const perLabel: Record<string, { total: number; correct: number }> = {};
  for (let i = 0; i < references.length; i++) {
    const ref = normalizeAnswer(references[i], opts);
    const pred = labels === undefined ? normalizeAnswer(predictions[i], opts) : matchLabel(normalizeAnswer(predictions[i], opts), labels);
    if (pred === undefined) invalid += 1;
    const hit = pred === ref;
    if (hit) correct += 1;
    const entry = (perLabel[ref] ??= { total: 0, correct: 0 });
    entry.total += 1;
    if (hit) entry.correct += 1;
  }
  const total = references.length;
  return { accuracy: total === 0 ? 0 : (100 * correct) / total, correct, total, invalid, per_label: perLabel };
}

/** The label a normalized prediction names: equal to it, else mentioned first (longest first on a tie). */
export function matchLabel(prediction: string, labels: readonly string[]): string | undefined {
  if (labels.includes(prediction)) return prediction;
  let best: string | undefined;
  let bestAt = Infinity;
  for (const label of labels) {
    const at = findWhole(prediction, label);
    if (at < 0) continue;
    if (at < bestAt || (at === bestAt && label.length > (best?.length ?? 0))) {
      best = label;
      bestAt = at;
    }
  }
  return best;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const HAN = /\p{Script=Han}/u;

/** First index of `label` in `text` not inside a longer word (Han text has no word boundaries). */
function findWhole(text: string, label: string): number {
  for (let at = text.indexOf(label); at >= 0; at = text.indexOf(label, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + label.length] ?? '';
    const joinsBefore = before !== '' && WORD_CHAR.test(before) && !HAN.test(before) && !HAN.test(label[0]);
    const joinsAfter = after !== '' && WORD_CHAR.test(after) && !HAN.test(after) && !HAN.test(label[label.length - 1]);
    if (!joinsBefore && !joinsAfter) return at;
  }
  return -1;
}
