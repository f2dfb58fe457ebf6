import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_CACHE, REPO_ROOT, VENV_PYTHON } from './paths.ts';

/**
 * The tiny random chat model every test trains: built offline by the worker's fixture script
 * (byte-level BPE + ChatML template with {% generation %} markers), cached in .cache/fixtures.
 * Built into a temp folder and renamed, so parallel test files never see half a model.
 */
export function ensureTinyModel(): string {
  const dir = join(FIXTURE_CACHE, 'tiny-model');
  if (existsSync(join(dir, 'config.json'))) return dir;
  mkdirSync(FIXTURE_CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(VENV_PYTHON, ['-m', 'whet_worker.fixtures.tiny_model', tmp], {
    cwd: join(REPO_ROOT, 'worker'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (existsSync(join(dir, 'config.json'))) {
    rmSync(tmp, { recursive: true, force: true }); // another process won the race
  } else {
    renameSync(tmp, dir);
  }
  return dir;
}
