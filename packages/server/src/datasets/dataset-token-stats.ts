import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, type Model, WhetError } from '@whetstone/core';
import { type Advice, adviseDataset, computeStats, type DatasetStats } from '@whetstone/data';
import type { AppContext } from '../context.ts';
import { modelTokenizerDir } from './model-tokenizer-dir.ts';

export interface DatasetStatsReport {
  dataset_id: string;
  model: { id: string; name: string; context_length: number | null; params: number | null } | null;
  max_seq_len: number | null;
  /** "counting": a large file is still being counted in the background; ask again. */
  status: 'ready' | 'counting';
  stats: DatasetStats;
  advice: Advice[];
}

/** How long a stats request waits for counting before answering "counting" (202). */
const WAIT_MS = 10_000;
/** Counts in progress, one per dataset and model, so repeated requests share it. */
const counting = new Map<string, Promise<DatasetStats>>();

/**
 * A dataset's statistics and advice, with token counts from the named model's own tokenizer
 * (and its chat template). Counting streams the whole file once per model; the result is cached
 * beside the data (`datasets/<id>/stats/<model id>.json`) until the tokenizer file changes.
 */
export async function datasetTokenStats(ctx: AppContext, dataset: Dataset, opts: { model?: string; maxSeqLen?: number; waitMs?: number }): Promise<DatasetStatsReport> {
  let model: Model | null = null;
  let stats: DatasetStats;
  if (opts.model) {
    if (dataset.status !== 'ready') {
      throw new WhetError('DATASET_NOT_READY', `dataset ${dataset.id} is "${dataset.status}"; token statistics need a ready dataset`, { field: 'id' });
    }
    const resolved = modelTokenizerDir(ctx, opts.model);
    model = resolved.model;
    const key = `${dataset.id}/${model.id}`;
    let job = counting.get(key);
    if (!job) {
      job = cachedStats(join(ctx.config.home, 'datasets', dataset.id), model.id, join(resolved.dir, 'tokenizer.json')).finally(() => counting.delete(key));
      job.catch(() => {}); // a caller that timed out no longer awaits it
      counting.set(key, job);
    }
    const timeout = new Promise<null>((res) => setTimeout(() => res(null), opts.waitMs ?? WAIT_MS).unref());
    const done = await Promise.race([job, timeout]);
    if (!done) {
      const partial = (dataset.stats ?? {}) as unknown as DatasetStats;
      return { dataset_id: dataset.id, model: modelRef(model), max_seq_len: opts.maxSeqLen ?? null, status: 'counting', stats: { ...partial, tokens: null }, advice: [] };
    }
    stats = done;
  } else {
    if (!dataset.stats) throw new WhetError('DATASET_NOT_READY', `dataset ${dataset.id} has no statistics yet (status "${dataset.status}")`, { field: 'id' });
    stats = dataset.stats as unknown as DatasetStats;
  }
  // statistics counted before labels were detected (an older cache) take the dataset's
  stats = { ...stats, label_set: stats.label_set ?? dataset.label_set ?? null };
  const advice = adviseDataset(stats, {
    maxSeqLen: opts.maxSeqLen,
    contextLength: model?.context_length ?? undefined,
    modelParams: model?.params ?? undefined,
  });
  return {
    dataset_id: dataset.id,
    model: model && modelRef(model),
    max_seq_len: opts.maxSeqLen ?? null,
    status: 'ready',
    stats,
    advice,
  };
}

function modelRef(m: Model) {
  return { id: m.id, name: m.name, context_length: m.context_length, params: m.params };
}

/** Data files up to this size are counted while a job is created; larger ones only from the cache. */
const COUNT_ON_CREATE_BYTES = 4 << 20;

/**
 * A dataset's token statistics with the model's tokenizer for a job being created: from the
 * cache, or counted now when the data file is small enough not to hold the request up. Null
 * when unknown (no tokenizer.json, or a large file not counted yet); a count that fails throws.
 */
export async function tokenStatsForJob(ctx: AppContext, dataset: Dataset, model: Model): Promise<DatasetStats | null> {
  let tokenizerPath: string;
  try {
    tokenizerPath = join(modelTokenizerDir(ctx, model.id).dir, 'tokenizer.json');
  } catch {
    return null;
  }
  const datasetDir = join(ctx.config.home, 'datasets', dataset.id);
  const cached = readCache(datasetDir, model.id, tokenizerPath);
  if (cached) return cached;
  if (statSync(join(datasetDir, 'data.jsonl')).size > COUNT_ON_CREATE_BYTES) return null;
  return cachedStats(datasetDir, model.id, tokenizerPath);
}

/**
 * The p99 of tokens per sample over the datasets of a job, with the job's model's tokenizer, so
 * "auto" max_seq_len covers 99% of samples. Null when unknown for any of them.
 */
export async function tokenP99ForJob(ctx: AppContext, datasets: Dataset[], model: Model): Promise<number | null> {
  let p99 = 0;
  for (const d of datasets) {
    const stats = await tokenStatsForJob(ctx, d, model);
    if (!stats?.tokens) return null;
    p99 = Math.max(p99, stats.tokens.per_sample.p99); // the mix's p99 is at most the largest of its parts'
  }
  return p99 || null;
}

/** A dataset's token statistics with a model's tokenizer when already counted (nothing is counted here); null otherwise. */
export function countedTokenStats(ctx: AppContext, datasetId: string, model: Model): DatasetStats | null {
  try {
    return readCache(join(ctx.config.home, 'datasets', datasetId), model.id, join(modelTokenizerDir(ctx, model.id).dir, 'tokenizer.json'));
  } catch {
    return null; // no tokenizer file
  }
}

function cacheFile(datasetDir: string, modelId: string): string {
  return join(datasetDir, 'stats', `${modelId}.json`);
}

function cacheKey(tokenizerPath: string) {
  return { tokenizer: tokenizerPath, mtime_ms: statSync(tokenizerPath).mtimeMs };
}

function readCache(datasetDir: string, modelId: string, tokenizerPath: string): DatasetStats | null {
  const file = cacheFile(datasetDir, modelId);
  if (!existsSync(file)) return null;
  const key = cacheKey(tokenizerPath);
  try {
    const hit = JSON.parse(readFileSync(file, 'utf8')) as { key: typeof key; stats: DatasetStats };
    return hit.key.tokenizer === key.tokenizer && hit.key.mtime_ms === key.mtime_ms ? hit.stats : null;
  } catch {
    return null; // a damaged cache is recomputed
  }
}

/** Token statistics with a model's tokenizer, cached per model beside the data. */
export async function cachedStats(datasetDir: string, modelId: string, tokenizerPath: string): Promise<DatasetStats> {
  const hit = readCache(datasetDir, modelId, tokenizerPath);
  if (hit) return hit;
  const stats = await computeStats(join(datasetDir, 'data.jsonl'), { tokenizerPath });
  writeStatsCache(datasetDir, modelId, tokenizerPath, stats);
  return stats;
}

/** Keep statistics counted with a model's tokenizer (temp file + rename). */
export function writeStatsCache(datasetDir: string, modelId: string, tokenizerPath: string, stats: DatasetStats): void {
  const file = cacheFile(datasetDir, modelId);
  mkdirSync(join(datasetDir, 'stats'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ key: cacheKey(tokenizerPath), stats }));
  renameSync(`${file}.tmp`, file);
}
