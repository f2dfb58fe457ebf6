import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// A real Node process with the guards main.ts installs: a stray rejection and a stray throw are
// logged with their stacks and the process lives on (Node's default ends it with no answer).
describe('guardProcess', () => {
  it('logs an unhandled rejection and an uncaught exception, and keeps the process alive', async () => {
    const guard = pathToFileURL(fileURLToPath(new URL('./guard-process.ts', import.meta.url))).href;
    const script = [
      `import { guardProcess } from ${JSON.stringify(guard)};`,
      'guardProcess();',
      "Promise.reject(new Error('stray rejection'));",
      "setTimeout(() => { throw new Error('stray throw'); }, 10);",
      "setTimeout(() => console.log('still serving'), 200);",
    ].join('\n');
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, WHET_LOG: 'error' }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      );
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('still serving');
    const logs = run.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(logs.map((l) => l.msg)).toEqual([expect.stringMatching(/^unhandled promise rejection/), expect.stringMatching(/^uncaught exception/)]);
    expect(logs[0].error).toMatch(/stray rejection\n\s+at /);
    expect(logs[1].error).toMatch(/stray throw\n\s+at /);
  });
});
