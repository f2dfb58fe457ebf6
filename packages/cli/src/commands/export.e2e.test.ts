import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';


// `whet export` as a user runs it, against a real server on 127.0.0.1 and the real worker.
describe('whet export / exports', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (args: string[]) => runWhet(server.url, args, { timeoutMs: 180_000 });
  beforeAll(async () => {
    server = await testServer(home);
    const res = await fetch(`${server.url}/api/v1/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: ensureTinyModel(), name: 'tiny' }) });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('exports a base model to GGUF q4_0, waits and prints the path; refuses peft of a base model', async () => {
    const out = await whet(['export', 'tiny', '--format', 'gguf', '--quantization', 'q4_0', '--wait']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/exp_\w+: gguf q4_0 export succeeded, [\d.]+ MB \(tiny-q4_0\.gguf\)/);
    const path = out.stdout.trim().split('\n').pop()!;
    expect(path).toMatch(/\/exports\/mdl_\w+\/gguf-q4_0$/);
    expect(readFileSync(join(path, 'tiny-q4_0.gguf')).subarray(0, 4).toString('latin1')).toBe('GGUF');

    const list = await whet(['exports', 'list']);
    expect(list.stdout).toMatch(/exp_\w+\s+mdl_\w+\s+gguf\s+q4_0\s+succeeded/);

    const peft = await whet(['export', 'tiny', '--format', 'peft']);
    expect(peft.code).toBe(1);
    expect(peft.stderr).toMatch(/INVALID_REQUEST: "tiny" is a base model, and format "peft" exports a fine-tuned adapter\nhint: Export a job result/);
    const missing = await whet(['export', 'nope', '--format', 'merged']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/MODEL_NOT_FOUND.*nope/);
    expect(existsSync(join(home, 'exports'))).toBe(true);
  });
});
