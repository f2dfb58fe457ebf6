import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, VENV_PYTHON } from '../../../../test-support/paths.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { createTorchBackend } from './torch-backend.ts';

// A deployment deleted (or a pooled model evicted) while its worker still loads the model: close()
// stops that worker where it is, instead of waiting for the load to finish and only then stopping
// it (which made DELETE /deployments/{id} outlast a client's patience on a busy machine).
describe('the torch backend closed while its worker loads the model', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'whet-torch-backend-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('stops the loading worker: the load never completes, and nothing is left running', { timeout: 120_000 }, async () => {
    const backend = createTorchBackend({ python: VENV_PYTHON, workerDir: join(REPO_ROOT, 'worker'), stateDir, modelPath: ensureTinyModel(), idleTimeoutMs: null });
    const loading = backend.load().then(
      () => 'ready',
      (e: Error) => e,
    );
    expect(backend.started).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // the worker runs (importing torch), not ready yet
    await backend.close();
    const outcome = await loading;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/was stopped while it loaded the model/);
    expect({ started: backend.started, running: backend.running, pid: backend.pid }).toEqual({ started: false, running: false, pid: null });

    // ...and the backend starts again on the next use.
    await backend.load();
    expect(backend.running).toBe(true);
    await backend.close();
    expect(backend.running).toBe(false);
  });
});
