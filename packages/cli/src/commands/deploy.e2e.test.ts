import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { tempHome, testConfig, testServer } from '../../../../test-support/server.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';

const gguf = demoGgufPath();

// `whet deploy` and `whet chat` as a user runs them, against a real server on 127.0.0.1.
describe.skipIf(!gguf)('whet deploy / chat / deployments', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (args: string[], input?: string) => runWhet(server.url, args, { timeoutMs: 180_000, input });
  beforeAll(async () => {
    // One llama.cpp thread: test files run in parallel on 2 cores, and spinning threads that
    // compete for them decode ~20x slower than one thread alone.
    // The demo GGUF sits in the venv: its folder is added to the model roots, as an operator would.
    server = await testServer(home, { llamaThreads: 1, modelRoots: [...testConfig(home).modelRoots, dirname(gguf!)] });
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('deploys the demo GGUF, chats with it (one-shot and on stdin), lists and stops it', async () => {
    const dep = await whet(['deploy', gguf!, '--backend', 'llamacpp', '--name', 'smol', '--max-concurrency', '2']);
    expect(dep.code, dep.stderr).toBe(0);
    expect(dep.stdout).toMatch(/smol \(dep_\w+\): llamacpp, ready/);
    const listed = await whet(['deployments', 'list', '--json']);
    expect(JSON.parse(listed.stdout).find((d: { name: string }) => d.name === 'smol').max_concurrency).toBe(2);
    const one = await whet(['chat', 'smol', 'Name the capital of France.', '--temperature', '0', '--max-tokens', '12']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Paris/);
    const convo = await whet(['chat', 'smol', '--temperature', '0', '--max-tokens', '8'], 'Name the capital of France.\n');
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
