import { dirname, join } from 'node:path';
import { type LabelSet, WhetError } from '@whetstone/core';
import type { NormalizedRow } from '../types.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import { readJsonlLines } from '../io/read-jsonl-lines.ts';
import { AtomicWriter } from '../io/atomic-writer.ts';
import { textKey, type DedupMode } from '../stats/dedup-key.ts';
import { rowDedupKey } from '../stats/row-dedup-key.ts';
import { LabelCounter } from '../labels/label-counter.ts';
import { stratifiedTargets } from './stratified-targets.ts';

export interface SplitOptions {
  /** Share held out for validation; by default 5%, at most 1,000 rows, none under 20 rows. */
  validationRatio?: number;
  /** Share held out as a test set (default none). */
  testRatio?: number;
  seed: number;
  /** Drop repeated rows first (keeping the first), so no sample sits in two splits. */
  dedup?: DedupMode;
  /** Where train/validation/test.jsonl go (default: beside the input). */
  outDir?: string;
  /** When the rows are a labelling set, hold out each label's share (default true). */
  stratify?: boolean;
}

export interface SplitResult {
  train: number;
  validation: number;
  test: number;
  duplicates_removed: number;
  /** "label": validation and test keep each label's share of a labelling set. */
  stratified_by: 'label' | null;
  /** The label set of the training rows, when the rows are a labelling set. */
  label_set: LabelSet | null;
  paths: { train: string; validation: string | null; test: string | null };
}

/**
 * The automatic validation split: 10% of the rows, at least 4 and at most 1,000, down to 20 rows
 * of data. Small data needs it most: without it neither early stopping nor the diagnosis can see
 * a model memorise its training rows.
 */
export const AUTO_VALIDATION_RATIO = 0.1;
export const AUTO_VALIDATION_MAX = 1000;
export const AUTO_VALIDATION_MIN = 4;
export const AUTO_VALIDATION_MIN_ROWS = 20;

/**
 * Splits a normalized JSONL into train, validation and (optionally) test files, with rows
 * drawn by `seed` and kept in their original order within each file. A labelling set (see
 * labels/label-counter.ts) is split per label, so each split keeps the labels' shares.
 */
export async function splitDataset(path: string, opts: SplitOptions): Promise<SplitResult> {
  for (const k of ['validationRatio', 'testRatio'] as const) {
    const v = opts[k];
    if (v !== undefined && !(v >= 0 && v < 0.5)) throw new WhetError('INVALID_REQUEST', `${k} must be in [0, 0.5), got ${v}.`);
  }
  // pass 1: count rows, mark repeats and note each kept row's answer
  const stratify = opts.stratify ?? true;
  const dropped: boolean[] = [];
  const seen = new Set<number>();
  const labels = new LabelCounter();
  const answerOf: number[] = [];
  let total = 0;
  for await (const line of readJsonlLines(path)) {
    total++;
    let dup = false;
    const row = stratify || opts.dedup === 'normalized' ? (JSON.parse(line) as NormalizedRow) : null;
    if (opts.dedup) {
      const key = opts.dedup === 'exact' ? textKey(line) : rowDedupKey(row!);
      dup = seen.has(key);
      if (!dup) seen.add(key);
    }
    dropped.push(dup);
    if (stratify && !dup) answerOf.push(labels.add(row!));
  }
  seen.clear();
  const n = dropped.reduce((c, d) => c + (d ? 0 : 1), 0);
  const nVal = opts.validationRatio === undefined ? autoValidation(n) : Math.round(n * opts.validationRatio);
  const nTest = Math.round(n * (opts.testRatio ?? 0));
  if (n - nVal - nTest < 1) throw new WhetError('DATASET_EMPTY', `Splitting ${n} rows leaves none to train on.`, { hint: 'Lower validationRatio/testRatio or add rows.' });

  const found = stratify ? labels.detect() : null;
  let trainLabels: LabelSet | null = null;
  let target: Uint8Array; // 0 train, 1 validation, 2 test, by index among kept rows
  if (found) {
    // groups: one per label, then the rows outside the set
    const other = found.set.labels.length;
    const groupOf = answerOf.map((a) => (a < 0 || found.labelOfAnswer[a]! < 0 ? other : found.labelOfAnswer[a]!));
    target = stratifiedTargets(groupOf, other + 1, (g) => g < other, nVal, nTest, opts.seed);
    answerOf.length = 0;
    trainLabels = trainLabelSet(found.set, groupOf, target);
  } else {
    target = new Uint8Array(n);
    const order = new SeededRandom(opts.seed).sample(n, nVal + nTest);
    for (let i = 0; i < order.length; i++) target[order[i]!] = i < nVal ? 1 : 2;
  }

  // pass 2: write each kept row to its split, in the original order
  const outDir = opts.outDir ?? dirname(path);
  const names = ['train', 'validation', 'test'] as const;
  const counts = [0, 0, 0]; // caps on tiny labels may hold out a row or two fewer than asked
  for (const t of target) counts[t]!++;
  const writers = await Promise.all(names.map((name, k) => (counts[k]! > 0 ? AtomicWriter.create(join(outDir, `${name}.jsonl`)) : null)));
  try {
    let i = 0;
    let j = 0;
    for await (const line of readJsonlLines(path)) {
      if (!dropped[i++]) {
        const w = writers[target[j++]!]!;
        w.writeLine(line);
        if (w.pending >= 1 << 20) await w.flush();
      }
    }
    for (const w of writers) await w?.commit();
  } catch (e) {
    for (const w of writers) await w?.abort();
    throw e;
  }
  return {
    train: counts[0]!,
    validation: counts[1]!,
    test: counts[2]!,
    duplicates_removed: total - n,
    stratified_by: found && counts[0]! < n ? 'label' : null,
    label_set: trainLabels,
    paths: {
      train: join(outDir, 'train.jsonl'),
      validation: counts[1]! > 0 ? join(outDir, 'validation.jsonl') : null,
      test: counts[2]! > 0 ? join(outDir, 'test.jsonl') : null,
    },
  };
}

/** The label set counted over the training rows only (labels in the same order, by count). */
function trainLabelSet(all: LabelSet, groupOf: number[], target: Uint8Array): LabelSet {
  const counts = new Array<number>(all.labels.length + 1).fill(0);
  let rows = 0;
  groupOf.forEach((g, i) => {
    if (target[i] === 0) {
      counts[g]!++;
      rows++;
    }
  });
  const share = (c: number) => Math.round((10_000 * c) / rows) / 10_000;
  const labels = all.labels.map((l, g) => ({ label: l.label, count: counts[g]!, share: share(counts[g]!) })).sort((a, b) => b.count - a.count);
  const other = counts.at(-1)!;
  return { labels, covered_share: share(rows - other), other_rows: other };
}

/** Rows held out for validation when none is given: 10%, 4 to 1,000, none below 20 rows. */
export function autoValidation(n: number): number {
  if (n < AUTO_VALIDATION_MIN_ROWS) return 0;
  return Math.min(AUTO_VALIDATION_MAX, Math.max(AUTO_VALIDATION_MIN, Math.round(n * AUTO_VALIDATION_RATIO)));
}
