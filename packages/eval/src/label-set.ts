import { WhetError } from '@whetstone/core';

import { normalizeAnswer, type NormalizeOptions } from './exact-match.ts';

/** A classification task's label set as answers are compared against it. */
export interface PreparedLabels {
  /** The labels as the user spelled them (first spelling of each), for display. */
  names: string[];
  /** The same labels normalized (normalizeAnswer), in the same order: what answers are matched to. */
  normalized: string[];
}

/**
 * Normalizes a label set (labels that normalize to nothing or to an earlier label are dropped)
 * and refuses references outside it, naming them, with INVALID_REQUEST on `labels`.
 */
export function prepareLabelSet(labels: readonly string[], references: readonly string[], opts: NormalizeOptions = {}): PreparedLabels {
  const names: string[] = [];
  const normalized: string[] = [];
  for (const label of labels) {
    const n = normalizeAnswer(label, opts);
    if (n.length === 0 || normalized.includes(n)) continue;
    names.push(label.trim());
    normalized.push(n);
  }
  const known = new Set(normalized);
  const unknown = [...new Set(references.map((r) => normalizeAnswer(r, opts)).filter((r) => !known.has(r)))];
  if (unknown.length > 0) {
    throw new WhetError('INVALID_REQUEST', `references outside the label set: ${unknown.slice(0, 5).map((u) => JSON.stringify(u)).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`, {
      hint: `Add them to labels, or fix the references; labels are ${normalized.map((l) => JSON.stringify(l)).join(', ')}.`,
      field: 'labels',
    });
  }
  return { names, normalized };
}
