import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './paths.ts';

/**
 * The real server as its own process (so a test can kill it -9 and start another on the same
 * state folder), resolved with its URL once it listens. `env` adds settings (WHET_EXECUTOR, ...).
 */
export function startServerProcess(home: string, env: Record<string, string> = {}): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'packages/server/src/main.ts')], {
    cwd: REPO_ROOT,
    // The tiny model lives in the repo's .cache/, a model root of test servers (as in testConfig).
    env: { ...process.env, WHET_HOME: home, WHET_PORT: '0', WHET_LOG: 'error', WHET_MODEL_ROOTS: `${home},${join(REPO_ROOT, '.cache')}`, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /running on (http:\/\/\S+?) /.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}
