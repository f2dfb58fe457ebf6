import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WhetError, type Export, type ExportCreate, type Model } from '@whetstone/core';
import { adapterPeftType, isPromptLearningAdapter } from '../models/adapter-type.ts';
import type { AppContext } from '../context.ts';
import { runWorkerExport } from '../deployments/export-gguf.ts';
import { newId, nowIso } from '../ids.ts';
import { logger } from '../logger.ts';
import { ExportStore } from '../store/export-store.ts';
import { SqliteStore } from '../store/sqlite-store.ts';

/**
 * User-facing exports: a base model, or a job result (its adapter on its base), written by the
 * worker to $WHET_HOME/exports/<model id>/<format>[-<quantization>]/ through a temporary folder
 * renamed when complete. Asking again for an export that is running or done returns that one.
 */
export class ExportService {
  readonly exports: ExportStore;
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly ctx: AppContext) {
    if (!(ctx.store instanceof SqliteStore)) throw new Error('exports need the SQLite store');
    this.exports = new ExportStore(ctx.store.db);
    // A record still running from before a restart lost its worker.
    for (const e of this.exports.list({ status: 'running' })) {
      this.finish(e, { status: 'failed', error: new WhetError('EXPORT_FAILED', 'the server stopped while this export ran', { hint: 'Start the export again.' }).toJSON() });
    }
  }

  /** Start (or reuse) an export. `reused`: an identical export was running or done already. */
  create(modelRef: string, body: ExportCreate): { record: Export; reused: boolean } {
    const model = this.ctx.store.getModel(modelRef);
    if (!model) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${modelRef}"`);
    const { basePath, adapterPath } = this.weightsOf(model, body.format);
    const quantization = body.format === 'gguf' ? (body.quantization ?? 'f16') : null;
    const path = join(this.ctx.config.home, 'exports', model.id, quantization ? `${body.format}-${quantization}` : body.format);

    const live = this.exports.findLive(model.id, body.format, quantization);
    if (live && (live.status === 'running' || existsSync(live.path))) return { record: live, reused: true };

    const record: Export = {
      id: newId('exp'),
      model_id: model.id,
      format: body.format,
      quantization,
      status: 'running',
      path,
      files: [],
      size_bytes: null,
      error: null,
      created_at: nowIso(),
      finished_at: null,
    };
    this.exports.insert(record);
    const done = this.run(record, model, basePath, adapterPath).finally(() => this.running.delete(record.id));
    this.running.set(record.id, done);
    return { record, reused: false };
  }

  list(): Export[] {
    return this.exports.list();
  }

  get(id: string): Export {
    const e = this.exports.get(id);
    if (!e) throw new WhetError('EXPORT_NOT_FOUND', `no export with id "${id}"`);
    return e;
  }

  /** Resolves once the export's worker is done (at once when it is not running here). */
  async settled(id: string): Promise<Export> {
    await this.running.get(id);
    return this.get(id);
  }

  /** The absolute path of one file of a finished export; `name` must be a plain file name listed in `files`. */
  filePath(id: string, name: string): string {
    const e = this.get(id);
    if (e.status !== 'succeeded') {
      throw new WhetError('CONFLICT', `export ${e.id} is ${e.status}, it has no files to download`, {
        hint: e.status === 'running' ? 'Wait until GET /api/v1/exports/{id} says "succeeded".' : 'Start the export again with POST /api/v1/models/{id}/exports.',
      });
    }
    const listing = `files of ${e.id}: ${e.files.join(', ')}`;
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
      throw new WhetError('INVALID_REQUEST', `"${name}" is not a file name: downloads name one file of the export folder, without any path`, { field: 'name', hint: `Use one of the ${listing}.` });
    }
    const path = join(e.path, name);
    if (!e.files.includes(name) || !existsSync(path)) {
      throw new WhetError('NOT_FOUND', `export ${e.id} has no file "${name}"`, { field: 'name', hint: `Use one of the ${listing}.` });
    }
    return path;
  }

  private weightsOf(model: Model, format: ExportCreate['format']): { basePath: string; adapterPath: string | null } {
    if (model.kind === 'adapter') {
      const base = this.ctx.store.getModel(model.base_model_id ?? '');
      if (!base) {
        throw new WhetError('MODEL_NOT_FOUND', `adapter "${model.name}" was trained on model ${model.base_model_id}, which is no longer registered`, {
          hint: 'Register the base model again (POST /api/v1/models), or export the adapter alone with format "peft".',
        });
      }
      if (format !== 'peft' && isPromptLearningAdapter(model.path)) {
        throw new WhetError('INVALID_REQUEST', `"${model.name}" is a ${adapterPeftType(model.path)} adapter: it trains virtual tokens that are fed to the model with every prompt, not weights, so there is nothing to merge into "${format}" weights`, {
          field: 'format',
          hint: 'Export it as "peft" (the adapter alone) and serve it with the torch backend, which loads it on its base model; or train with tuning "lora" or "dora" for merged and GGUF exports.',
        });
      }
      return { basePath: base.path, adapterPath: model.path };
    }
    if (format === 'peft') {
      throw new WhetError('INVALID_REQUEST', `"${model.name}" is a ${model.kind} model, and format "peft" exports a fine-tuned adapter`, {
        field: 'format',
        hint: 'Export a job result (its model id) as "peft", or export this model as "merged" or "gguf".',
      });
    }
    return { basePath: model.path, adapterPath: null };
  }

  private async run(record: Export, model: Model, basePath: string, adapterPath: string | null) {
    const partial = join(record.path, '..', `.${record.format}${record.quantization ? `-${record.quantization}` : ''}.partial-${randomBytes(4).toString('hex')}`);
    const fileName = `${model.name.replace(/[^A-Za-z0-9._-]/g, '-')}-${record.quantization}.gguf`;
    try {
      await runWorkerExport({
        python: this.ctx.config.python,
        workerDir: this.ctx.config.workerDir,
        modelPath: basePath,
        adapterPath,
        format: record.format,
        quantization: record.quantization,
        outputPath: record.format === 'gguf' ? join(partial, fileName) : partial,
      });
      rmSync(record.path, { recursive: true, force: true }); // an older copy whose record was lost
      renameSync(partial, record.path);
      const files = readdirSync(record.path).filter((f) => statSync(join(record.path, f)).isFile()).sort();
      const size = files.reduce((n, f) => n + statSync(join(record.path, f)).size, 0);
      this.finish(record, { status: 'succeeded', files, size_bytes: size });
      logger.info('export done', { id: record.id, path: record.path });
    } catch (e) {
      rmSync(partial, { recursive: true, force: true });
      const error = e instanceof WhetError ? e.toJSON() : new WhetError('EXPORT_FAILED', String((e as Error)?.message ?? e)).toJSON();
      logger.error('export failed', { id: record.id, error });
      this.finish(record, { status: 'failed', error });
    }
  }

  private finish(record: Export, change: Partial<Export>) {
    this.exports.update({ ...record, ...change, finished_at: nowIso() });
  }
}

const services = new WeakMap<AppContext, ExportService>();

/** The export service of this server context (one per context, made on first use). */
export function exportService(ctx: AppContext): ExportService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new ExportService(ctx)));
  return s;
}
