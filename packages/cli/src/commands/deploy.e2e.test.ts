import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';

const run = promisify(execFile);
const gguf = demoGgufPath();

// `whet deploy` and `whet chat` as a user runs them, against a real server on 127.0.0.1.
describe.skipIf(!gguf)('whet deploy / chat / deployments', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = async (args: string[], input?: string) => {
    const child = run(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/whet.mjs'), ...args], { env: { ...process.env, WHET_URL: server.url }, timeout: 180_000 });
    if (input !== undefined) {
      child.child.stdin!.end(input);
    }
    try {
      const r = await child;
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };
  beforeAll(async () => {
    // One llama.cpp thread: test files run in parallel on 2 cores, and spinning threads that
    // compete for them decode ~20x slower than one thread alone.
    server = await testServer(home, { llamaThreads: 1 });
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('deploys the demo GGUF, chats with it (one-shot and on stdin), lists and stops it', async () => {
    const dep = await whet(['deploy', gguf!, '--backend', 'llamacpp', '--name', 'smol']);
    expect(dep.code, dep.stderr).toBe(0);
    expect(dep.stdout).toMatch(/smol \(dep_\w+\): llamacpp, ready/);
    const one = await whet(['chat', 'smol', 'What is the capital of France?', '--temperature', '0', '--max-tokens', '12']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Paris/);
    const convo = await whet(['chat', 'smol', '--temperature', '0', '--max-tokens', '8'], 'What is the capital of France?\n');
    expect(convo.code, convo.stderr).toBe(0);
    expect(convo.stdout).toMatch(/Paris/);
    const list = await whet(['deployments', 'list']);
    expect(list.stdout).toMatch(/smol\s+llamacpp\s+none\s+ready\s+0 running, 0 waiting/);
    const stop = await whet(['deployments', 'stop', 'smol']);
    expect(stop.stdout).toMatch(/smol .*stopped/);
    const missing = await whet(['chat', 'nope', 'hi']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/MODEL_NOT_FOUND.*nope/);
  });
});
