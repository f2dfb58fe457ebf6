import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorBody, WhetError, type WorkerExportSpec } from '@whetstone/core';
import { startWorker } from '../jobs/worker-process.ts';
import { logger } from '../logger.ts';

export interface WorkerExportRun {
  python: string;
  workerDir: string;
  modelPath: string;
  /** Merged into the weights (merged, gguf) or copied (peft) when given. */
  adapterPath: string | null;
  format: WorkerExportSpec['format'];
  /** gguf only (null: f16). */
  quantization: WorkerExportSpec['quantization'];
  /** A folder for peft/merged, a .gguf file for gguf. Callers write to a temporary path and rename. */
  outputPath: string;
}

/**
 * Run `python -m whet_worker export` once. Resolves with the worker's `exported` event (path
 * and size) when it exits cleanly; rejects with the worker's own error, or EXPORT_FAILED.
 */
export function runWorkerExport(e: WorkerExportRun): Promise<{ outputPath: string; sizeBytes: number }> {
  const dir = dirname(e.outputPath);
  mkdirSync(dir, { recursive: true });
  const specPath = join(dir, `export-spec-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const spec: WorkerExportSpec = {
    version: 1,
    command: 'export',
    model: { path: e.modelPath },
    adapter: e.adapterPath,
    format: e.format,
    quantization: e.quantization,
    output_path: e.outputPath,
  };
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  return new Promise((resolve, reject) => {
    let error: WhetError | null = null;
    let sizeBytes: number | null = null;
    let worker;
    try {
      worker = startWorker(
        { python: e.python, workerDir: e.workerDir, command: 'export', specPath },
        {
          onEvent(ev) {
            if (ev.type === 'exported') sizeBytes = ev.size_bytes;
            else if (ev.type === 'error') {
              const b = errorBody(ev.code, ev.message, ev.hint);
              error = new WhetError(b.code, b.message, { hint: b.hint });
            }
          },
        },
      );
    } catch (err) {
      rmSync(specPath, { force: true });
      reject(err);
      return;
    }
    void worker.exited.then((exit) => {
      rmSync(specPath, { force: true });
      if (sizeBytes !== null && exit.code === 0) resolve({ outputPath: e.outputPath, sizeBytes });
      else reject(error ?? new WhetError('EXPORT_FAILED', `the ${e.format} export exited with ${exit.code ?? exit.signal}: ${exit.stderrTail.slice(-3).join(' | ')}`));
    });
  });
}

export interface GgufExport {
  python: string;
  workerDir: string;
  modelPath: string;
  /** Merged into the weights when given. */
  adapterPath: string | null;
  quantization: WorkerExportSpec['quantization'];
  /** The .gguf file to write; written under a temporary name and renamed when complete. */
  outputPath: string;
}

/**
 * Write a GGUF file with `python -m whet_worker export` (for a llamacpp deployment of a model
 * that has none yet). Resolves with the path once the worker reports `exported`.
 */
export async function exportGguf(e: GgufExport): Promise<string> {
  const partial = `${e.outputPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}.gguf`;
  try {
    await runWorkerExport({ ...e, format: 'gguf', outputPath: partial });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, e.outputPath);
  logger.info('exported GGUF for a deployment', { path: e.outputPath });
  return e.outputPath;
}
