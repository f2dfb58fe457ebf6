import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { tempHome, testConfig, testServer } from '../../../../test-support/server.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';

const gguf = demoGgufPath();

// `whet deploy --labels` and `whet chat --labels` as a user runs them, on the demo GGUF (llama.cpp grammar).
describe.skipIf(!gguf)('whet deploy / chat --labels', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (args: string[]) => runWhet(server.url, args, { timeoutMs: 180_000 });
  beforeAll(async () => {
    server = await testServer(home, { llamaThreads: 1, modelRoots: [...testConfig(home).modelRoots, dirname(gguf!)] });
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('deploys with a label default, answers a label, and a chat may override or turn it off', async () => {
    const dep = await whet(['deploy', gguf!, '--backend', 'llamacpp', '--name', 'smol', '--max-concurrency', '1', '--labels', 'yes, no']);
    expect(dep.code, dep.stderr).toBe(0);
    expect(dep.stdout).toMatch(/answers constrained to: yes, no/);
    const q = 'Name the capital of France.';
    const answer = async (...extra: string[]) => {
      const r = await whet(['chat', 'smol', q, '--temperature', '0', '--max-tokens', '12', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    expect(['yes', 'no']).toContain(await answer());
    expect(['Paris', 'Lyon']).toContain(await answer('--labels', 'Paris,Lyon'));
    expect(await answer('--labels', 'none')).toMatch(/Paris/);
    const bad = await whet(['deploy', gguf!, '--backend', 'llamacpp', '--labels', 'model']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/remembers no label set/);
  });
});
