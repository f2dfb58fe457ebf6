import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Dataset, isWhetError, WhetError } from '@whetstone/core';
import { ingestDataset } from '@whetstone/data';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../ids.ts';
import { logger } from '../logger.ts';
import { writeStatsCache } from './dataset-token-stats.ts';
import { modelTokenizerDir } from './model-tokenizer-dir.ts';
import { receiveUpload } from './receive-upload.ts';

/** How long an upload request waits for validation before answering 202 "processing". */
const SYNC_WINDOW_MS = 10_000;

export interface UploadOptions {
  format?: string;
  keepGoodRows?: boolean;
  name?: string;
  /** A model id or name: count tokens with its tokenizer while validating. */
  model?: string;
}

/**
 * Upload → validate → store. The file streams to a staging folder; a file that cannot be a
 * dataset at all is refused (4xx) and nothing is kept. A large file answers 202 and finishes
 * validating in the background (status `processing` → `ready` | `invalid`).
 */
export async function createDatasetFromUpload(ctx: AppContext, request: Request): Promise<{ dataset: Dataset; done: boolean }> {
  const id = newId('ds');
  // The dataset's own folder; no row points at it until validation ends or the sync window passes.
  const dir = join(ctx.config.home, 'datasets', id);
  const discard = () => rmSync(dir, { recursive: true, force: true });
  let upload;
  try {
    upload = await receiveUpload(request, dir, ctx.config.maxUploadBytes);
  } catch (e) {
    discard();
    throw e;
  }
  return validateAndStore(ctx, id, upload.path, upload.filename, upload.bytes, {
    format: upload.fields.format || undefined,
    keepGoodRows: ['1', 'true', 'yes'].includes((upload.fields.keep_good_rows ?? '').toLowerCase()),
    name: upload.fields.name || undefined,
    model: upload.fields.model || undefined,
  });
}

/** Register a file already on the server (the demo dataset) the same way an upload is. */
export async function createDatasetFromFile(ctx: AppContext, source: string, opts: UploadOptions = {}): Promise<Dataset> {
  const id = newId('ds');
  const dir = join(ctx.config.home, 'datasets', id);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'upload');
  copyFileSync(source, path);
  const { dataset } = await validateAndStore(ctx, id, path, basename(source), statSync(path).size, opts);
  return dataset;
}

/** Validate a file already received into `datasets/<id>/` and store it as a dataset (see createDatasetFromUpload). */
export async function validateAndStore(
  ctx: AppContext,
  id: string,
  uploadPath: string,
  filename: string,
  bytes: number,
  opts: UploadOptions,
): Promise<{ dataset: Dataset; done: boolean }> {
  const dir = join(ctx.config.home, 'datasets', id);
  const discard = () => rmSync(dir, { recursive: true, force: true });
  const pending: Dataset = {
    id,
    name: opts.name ?? filename,
    filename,
    format: null,
    purpose: 'sft',
    status: 'processing',
    sha256: null,
    size_bytes: bytes,
    rows: 0,
    preview: [],
    errors: [],
    error_counts: {},
    stats: null,
    created_at: nowIso(),
  };

  let tokenizer: { modelId: string; path: string } | null = null;
  if (opts.model) {
    try {
      const t = modelTokenizerDir(ctx, opts.model);
      tokenizer = { modelId: t.model.id, path: join(t.dir, 'tokenizer.json') };
    } catch (e) {
      discard();
      throw e;
    }
  }
  const ingest = ingestDataset(uploadPath, dir, {
    filename,
    format: opts.format as never,
    keepGoodRows: opts.keepGoodRows,
    tokenizerPath: tokenizer?.path,
  }).then(
    (r): Dataset => {
      if (tokenizer && r.status === 'ready') writeStatsCache(dir, tokenizer.modelId, tokenizer.path, r.stats);
      return {
        ...pending,
        format: r.format,
        purpose: r.purpose,
        status: r.status,
        sha256: r.sha256,
        rows: r.rows,
        preview: r.preview,
        errors: r.errors,
        error_counts: r.error_counts,
        stats: { ...(r.stats as unknown as Record<string, unknown>), container: r.container, dropped_rows: r.dropped_rows },
        label_set: r.stats.label_set,
      };
    },
  );

  const timeout = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), SYNC_WINDOW_MS).unref());
  const first = await Promise.race([ingest.then((d) => ({ d }), (e: unknown) => ({ e })), timeout]);
  if (first !== 'timeout') {
    if ('e' in first) {
      discard();
      throw isWhetError(first.e) ? first.e : new WhetError('INTERNAL', `dataset validation failed: ${String(first.e)}`);
    }
    ctx.store.insertDataset(first.d);
    return { dataset: first.d, done: true };
  }
  // Still validating: store it as processing and finish in the background.
  ctx.store.insertDataset(pending);
  ingest.then(
    (d) => ctx.store.getDataset(id) && ctx.store.updateDataset(d),
    (e: unknown) => {
      const err = isWhetError(e) ? (e as WhetError).toJSON() : { code: 'INTERNAL', message: String(e) };
      logger.warn('dataset validation failed', { id, error: err });
      if (ctx.store.getDataset(id)) {
        ctx.store.updateDataset({ ...pending, status: 'invalid', errors: [{ line: 0, code: err.code, message: err.message }], error_counts: { [err.code]: 1 } });
      }
    },
  );
  return { dataset: pending, done: false };
}
