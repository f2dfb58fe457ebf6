import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

export interface WhetRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the real `whet` CLI against the server at `url`, as a user would from a shell; resolves
 * with its exit code and output whatever the code (a failing command is a result, not a throw).
 */
export function runWhet(url: string, args: string[], opts: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {}): Promise<WhetRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(REPO_ROOT, 'packages/cli/bin/whet.mjs'), ...args],
      { env: { ...process.env, WHET_URL: url, ...opts.env }, timeout: opts.timeoutMs ?? 180_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
