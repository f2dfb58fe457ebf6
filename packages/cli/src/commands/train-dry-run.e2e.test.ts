import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// `whet train --dry-run` against a real server with the tiny model: the values resolved with
// their reasons, and no job created.
describe('whet train --dry-run', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 0 });
    expect((await whet('models', 'add', ensureTinyModel(), '--name', 'tiny')).code).toBe(0);
    expect((await whet('data', 'upload', writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)), '--name', 'toy')).code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('prints every resolved value with its source and reason, and creates nothing', async () => {
    const r = await whet('train', '--model', 'tiny', '--data', 'toy', '--epochs', 'auto', '--max-steps', '5', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run: nothing was created/);
    expect(r.stdout).toMatch(/epochs\s+15\s+auto\s+28 training samples/);
    expect(r.stdout).toMatch(/max_steps\s+5\s+user/);
    expect(r.stdout).toMatch(/^estimated duration: unknown \(no earlier run of tiny with lora on this server to measure speed from\)$/m);
    const budget = await whet('train', '--model', 'tiny', '--data', 'toy', '--budget-minutes', '12', '--dry-run');
    expect(budget.stdout).toMatch(/^estimated duration: about 12 min \(budget: the time budget of 12 minutes/m);
    expect((await apiAt(server.url).get('/jobs')).body.data).toEqual([]);
  });

  it('sends --executor, --processes and --shared-path as resources, shown in the plan, and the server\'s refusal names the fix', async () => {
    const r = await whet('train', '--model', 'tiny', '--data', 'toy', '--executor', 'torchrun', '--processes', '2', '--batch-size', '4', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^resources {2}torchrun: 1 node x 2 processes, CPU \(gloo\), ddp$/m);
    const fsdp = await whet('train', '--model', 'tiny', '--data', 'toy', '--executor', 'torchrun', '--strategy', 'fsdp', '--dry-run');
    expect(fsdp.code).not.toBe(0);
    expect(fsdp.stderr).toMatch(/strategy "fsdp" on CPU .*no available devices found/);
    expect(fsdp.stderr).toMatch(/Use strategy "ddp" on CPU/);
    const shared = await whet('train', '--model', 'tiny', '--data', 'toy', '--executor', 'torchrun', '--batch-size', '4', '--shared-path', home, '--dry-run');
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toContain(`resources  torchrun: 1 node x 2 processes, CPU (gloo), ddp; files under ${home}`);
    const missing = await whet('train', '--model', 'tiny', '--data', 'toy', '--shared-path', join(home, 'missing'), '--dry-run');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/shared_path .*missing does not exist on the server/);
  });

  it('sends --packing as hyperparameters.packing, and the server refuses it for a prompt tuning', async () => {
    const plain = await whet('train', '--model', 'tiny', '--data', 'toy', '--dry-run');
    expect(plain.stdout).toMatch(/packing\s+false\s+default/);
    const packed = await whet('train', '--model', 'tiny', '--data', 'toy', '--packing', '--dry-run');
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.stdout).toMatch(/packing\s+true\s+user\s+set in the request/);
    const prefix = await whet('train', '--model', 'tiny', '--data', 'toy', '--tuning', 'prefix', '--packing', '--dry-run');
    expect(prefix.code).not.toBe(0);
    expect(prefix.stderr).toMatch(/packing applies to tuning .*not "prefix"/);
  });
});
