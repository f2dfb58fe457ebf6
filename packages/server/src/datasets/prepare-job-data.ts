import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, type JobCreate, type JobDataMix, type LabelSet, WhetError } from '@whetstone/core';
import { autoValidation, mixDatasets, planMix, splitDataset } from '@whetstone/data';

type MixEntry = NonNullable<JobCreate['datasets']>[number];

export interface JobDataSource {
  dataset: Dataset;
  entry: MixEntry;
  /** The dataset's normalized data.jsonl. */
  path: string;
}

/** Whether the job trains on data prepared for it (a mix, de-duplication, splits) rather than one dataset as uploaded. */
export function needsPreparedData(body: JobCreate): boolean {
  const entries = body.datasets ?? [];
  return (
    entries.length > 1 ||
    entries.some((e) => e.samples !== undefined) ||
    (body.test_split ?? 0) > 0 ||
    body.dedup !== undefined ||
    typeof body.validation_split === 'number'
  );
}

/** Refuse a mix of datasets that train different things (chats with preference pairs or raw text). */
export function checkSamePurpose(sources: JobDataSource[]): void {
  const first = sources[0]!.dataset;
  sources.forEach((s, i) => {
    if (s.dataset.purpose !== first.purpose) {
      throw new WhetError('INVALID_REQUEST', `datasets[${i}] (${s.dataset.id}) holds ${s.dataset.purpose} data but datasets[0] (${first.id}) holds ${first.purpose} data; a mix must hold one kind`, {
        field: `datasets.${i}.id`,
        hint: 'Mix datasets of the same kind: chats with chats, preference pairs with preference pairs, raw text with raw text.',
      });
    }
  });
}

/**
 * Training rows the prepared data will hold, known before it is written (de-duplication aside):
 * the planned mix less the validation and test shares. Sizes the "auto" schedule.
 */
export function plannedTrainRows(sources: JobDataSource[], body: JobCreate): number {
  const takes = planMix(
    sources.map((s) => s.entry),
    sources.map((s) => s.dataset.rows),
  );
  const total = takes.reduce((a, b) => a + b, 0);
  const validation = body.validation_dataset ? 0 : typeof body.validation_split === 'number' ? Math.round(total * body.validation_split) : autoValidation(total);
  return Math.max(1, total - validation - Math.round(total * (body.test_split ?? 0)));
}

/**
 * Writes the job's data under `dir` (train.jsonl, validation.jsonl, test.jsonl): the datasets
 * mixed by weight or sample count with `seed`, repeats dropped on request, then split with the
 * same seed (per label when the rows are a labelling set). A single dataset drawn whole is split
 * in place of a mix, without a copy first. Returns the job's data_mix and its training rows'
 * label set.
 */
export async function prepareJobData(
  dir: string,
  sources: JobDataSource[],
  body: JobCreate,
  seed: number,
  validationDatasetPath: string | null,
): Promise<{ mix: JobDataMix; labelSet: LabelSet | null }> {
  mkdirSync(dir, { recursive: true });
  const single = sources.length === 1 && sources[0]!.entry.samples === undefined;
  const mixPath = join(dir, 'mix.jsonl');
  let mixed: { taken: number; share: number; repeated: boolean; weight: number | null; samples: number | null }[];
  let rows: number;
  if (single) {
    const n = sources[0]!.dataset.rows;
    mixed = [{ taken: n, share: 1, repeated: false, weight: sources[0]!.entry.weight ?? 1, samples: null }];
    rows = n;
  } else {
    const r = await mixDatasets(
      sources.map((s) => ({ path: s.path, weight: s.entry.weight, samples: s.entry.samples })),
      seed,
      mixPath,
    );
    mixed = r.entries;
    rows = r.total;
  }
  try {
    const split = await splitDataset(single ? sources[0]!.path : mixPath, {
      seed,
      validationRatio: validationDatasetPath ? 0 : typeof body.validation_split === 'number' ? body.validation_split : undefined,
      testRatio: body.test_split ?? 0,
      dedup: body.dedup,
      outDir: dir,
    });
    const mix: JobDataMix = {
      seed,
      sources: sources.map((s, i) => ({
        dataset_id: s.dataset.id,
        name: s.dataset.name,
        weight: mixed[i]!.weight,
        samples: mixed[i]!.samples,
        available: s.dataset.rows,
        taken: mixed[i]!.taken,
        share: mixed[i]!.share,
        repeated: mixed[i]!.repeated,
      })),
      rows,
      duplicates_removed: split.duplicates_removed,
      dedup: body.dedup ?? null,
      train: split.train,
      validation: split.validation,
      test: split.test,
      validation_source: validationDatasetPath ? 'dataset' : split.validation > 0 ? 'split' : 'none',
      stratified_by: split.stratified_by,
      paths: { train: split.paths.train, validation: validationDatasetPath ?? split.paths.validation, test: split.paths.test },
    };
    return { mix, labelSet: split.label_set };
  } finally {
    rmSync(mixPath, { force: true });
  }
}
