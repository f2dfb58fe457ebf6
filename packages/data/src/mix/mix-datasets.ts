import { open, type FileHandle } from 'node:fs/promises';
import { WhetError } from '@whetstone/core';
import { SeededRandom } from '../random/seeded-random.ts';
import { lineOffsets } from '../io/line-offsets.ts';
import { readLineAt } from '../io/read-line-at.ts';
import { AtomicWriter } from '../io/atomic-writer.ts';

export interface MixInput {
  /** A normalized data.jsonl. */
  path: string;
  /** Share of the mix relative to the other weighted inputs (business 1 : general 0.2). */
  weight?: number;
  /** An exact number of rows instead; more than the file holds repeats rows. */
  samples?: number;
}

export interface MixEntry {
  path: string;
  weight: number | null;
  samples: number | null;
  /** Rows in the file. */
  available: number;
  /** Rows taken into the mix. */
  taken: number;
  /** taken / total. */
  share: number;
  /** Rows were repeated to reach `taken`. */
  repeated: boolean;
}

export interface MixResult {
  path: string;
  seed: number;
  total: number;
  entries: MixEntry[];
}

/**
 * Mixes datasets into one shuffled JSONL. Inputs with `samples` give exactly that many rows.
 * Weighted inputs (weight 1 when neither is given) share the rest in proportion to their
 * weights, as many rows as the scarcest of them allows without repeating any: business data
 * of 1,000 rows at weight 1 with general data at 0.2 gives 1,000 + 200 rows. Rows are drawn
 * and shuffled with `seed`; the same seed gives the same file.
 */
export async function mixDatasets(inputs: MixInput[], seed: number, outPath: string): Promise<MixResult> {
  if (inputs.length === 0) throw new WhetError('INVALID_REQUEST', 'A mix needs at least one dataset.');
  inputs.forEach((inp, i) => {
    if (inp.weight !== undefined && !(inp.weight > 0)) throw new WhetError('INVALID_REQUEST', `datasets[${i}].weight must be > 0, got ${inp.weight}.`);
    if (inp.samples !== undefined && !(Number.isInteger(inp.samples) && inp.samples > 0)) {
      throw new WhetError('INVALID_REQUEST', `datasets[${i}].samples must be a positive integer, got ${inp.samples}.`);
    }
    if (inp.weight !== undefined && inp.samples !== undefined) throw new WhetError('INVALID_REQUEST', `datasets[${i}] gives both weight and samples; give one.`);
  });
  const offsets = await Promise.all(inputs.map((inp) => lineOffsets(inp.path)));
  offsets.forEach((o, i) => {
    if (o.count === 0) throw new WhetError('DATASET_EMPTY', `${inputs[i]!.path} holds no rows.`);
  });
  const takes = planMix(inputs, offsets.map((o) => o.count));

  const rng = new SeededRandom(seed);
  const picks: { file: number; row: number }[] = [];
  takes.forEach((take, f) => {
    const n = offsets[f]!.count;
    for (let r = 0; r + n <= take; r += n) for (let i = 0; i < n; i++) picks.push({ file: f, row: i });
    for (const i of rng.sample(n, take % n)) picks.push({ file: f, row: i });
  });
  rng.shuffle(picks);

  const handles: FileHandle[] = await Promise.all(inputs.map((inp) => open(inp.path, 'r')));
  const writer = await AtomicWriter.create(outPath);
  try {
    for (const p of picks) {
      const o = offsets[p.file]!;
      writer.writeLine(await readLineAt(handles[p.file]!, o.starts[p.row]!, o.lengths[p.row]!));
      if (writer.pending >= 1 << 20) await writer.flush();
    }
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
  const total = picks.length;
  return {
    path: outPath,
    seed,
    total,
    entries: inputs.map((inp, i) => ({
      path: inp.path,
      weight: inp.samples === undefined ? (inp.weight ?? 1) : null,
      samples: inp.samples ?? null,
      available: offsets[i]!.count,
      taken: takes[i]!,
      share: total ? Math.round((takes[i]! / total) * 10000) / 10000 : 0,
      repeated: takes[i]! > offsets[i]!.count,
    })),
  };
}

/**
 * Rows to take from each input, given how many rows each holds: what `mixDatasets` draws, known
 * before any file is read (e.g. to size a job's schedule).
 */
export function planMix(inputs: Pick<MixInput, 'weight' | 'samples'>[], counts: number[]): number[] {
  const weighted = inputs.map((inp, i) => ({ i, w: inp.samples === undefined ? (inp.weight ?? 1) : 0 })).filter((x) => x.w > 0);
  const sumW = weighted.reduce((s, x) => s + x.w, 0);
  // the largest total the weighted inputs reach with no row repeated
  const total = weighted.length ? Math.min(...weighted.map((x) => counts[x.i]! / (x.w / sumW))) : 0;
  return inputs.map((inp, i) => {
    if (inp.samples !== undefined) return inp.samples;
    const w = inp.weight ?? 1;
    return Math.max(1, Math.min(counts[i]!, Math.round((total * w) / sumW)));
  });
}
