import { dirname, join } from 'node:path';
import { WhetError } from '@whetstone/core';
import type { NormalizedRow } from '../types.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import { readJsonlLines } from '../io/read-jsonl-lines.ts';
import { AtomicWriter } from '../io/atomic-writer.ts';
import { textKey, type DedupMode } from '../stats/dedup-key.ts';
import { rowDedupKey } from '../stats/row-dedup-key.ts';

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
}

export interface SplitResult {
  train: number;
  validation: number;
  test: number;
  duplicates_removed: number;
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
 * drawn by `seed` and kept in their original order within each file.
 */
export async function splitDataset(path: string, opts: SplitOptions): Promise<SplitResult> {
  for (const k of ['validationRatio', 'testRatio'] as const) {
    const v = opts[k];
    if (v !== undefined && !(v >= 0 && v < 0.5)) throw new WhetError('INVALID_REQUEST', `${k} must be in [0, 0.5), got ${v}.`);
  }
  // pass 1: count rows and mark repeats
  const dropped: boolean[] = [];
  const seen = new Set<number>();
  let total = 0;
  for await (const line of readJsonlLines(path)) {
    total++;
    let dup = false;
    if (opts.dedup) {
      const key = opts.dedup === 'exact' ? textKey(line) : rowDedupKey(JSON.parse(line) as NormalizedRow);
      dup = seen.has(key);
      if (!dup) seen.add(key);
    }
    dropped.push(dup);
  }
  seen.clear();
  const n = dropped.reduce((c, d) => c + (d ? 0 : 1), 0);
  const nVal = opts.validationRatio === undefined ? autoValidation(n) : Math.round(n * opts.validationRatio);
  const nTest = Math.round(n * (opts.testRatio ?? 0));
  if (n - nVal - nTest < 1) throw new WhetError('DATASET_EMPTY', `Splitting ${n} rows leaves none to train on.`, { hint: 'Lower validationRatio/testRatio or add rows.' });

  const target = new Uint8Array(n); // 0 train, 1 validation, 2 test, by index among kept rows
  const order = new SeededRandom(opts.seed).sample(n, nVal + nTest);
  for (let i = 0; i < order.length; i++) target[order[i]!] = i < nVal ? 1 : 2;

  // pass 2: write each kept row to its split, in the original order
  const outDir = opts.outDir ?? dirname(path);
  const names = ['train', 'validation', 'test'] as const;
  const counts = [n - nVal - nTest, nVal, nTest];
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
    paths: {
      train: join(outDir, 'train.jsonl'),
      validation: counts[1]! > 0 ? join(outDir, 'validation.jsonl') : null,
      test: counts[2]! > 0 ? join(outDir, 'test.jsonl') : null,
    },
  };
}

/** Rows held out for validation when none is given: 10%, 4 to 1,000, none below 20 rows. */
export function autoValidation(n: number): number {
  if (n < AUTO_VALIDATION_MIN_ROWS) return 0;
  return Math.min(AUTO_VALIDATION_MAX, Math.max(AUTO_VALIDATION_MIN, Math.round(n * AUTO_VALIDATION_RATIO)));
}
