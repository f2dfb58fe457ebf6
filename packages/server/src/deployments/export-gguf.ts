import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorBody, WhetError, type WorkerExportSpec } from '@whetstone/core';
import { startWorker } from '../jobs/worker-process.ts';
import { logger } from '../logger.ts';

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
export function exportGguf(e: GgufExport): Promise<string> {
  const dir = dirname(e.outputPath);
  mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const partial = `${e.outputPath}.partial-${tag}.gguf`;
  const specPath = join(dir, `export-spec-${tag}.json`);
  const spec: WorkerExportSpec = {
    version: 1,
    command: 'export',
    model: { path: e.modelPath },
    adapter: e.adapterPath,
    format: 'gguf',
    quantization: e.quantization,
    output_path: partial,
  };
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  return new Promise((resolve, reject) => {
    let error: WhetError | null = null;
    let exported = false;
    const worker = startWorker(
      { python: e.python, workerDir: e.workerDir, command: 'export', specPath },
      {
        onEvent(ev) {
          if (ev.type === 'exported') exported = true;
          else if (ev.type === 'error') {
            const b = errorBody(ev.code, ev.message, ev.hint);
            error = new WhetError(b.code, b.message, { hint: b.hint });
          }
        },
      },
    );
    void worker.exited.then((exit) => {
      rmSync(specPath, { force: true });
      if (exported && exit.code === 0) {
        renameSync(partial, e.outputPath);
        logger.info('exported GGUF for a deployment', { path: e.outputPath });
        resolve(e.outputPath);
      } else {
        rmSync(partial, { force: true });
        reject(error ?? new WhetError('EXPORT_FAILED', `the GGUF export exited with ${exit.code ?? exit.signal}: ${exit.stderrTail.slice(-3).join(' | ')}`));
      }
    });
  });
}
