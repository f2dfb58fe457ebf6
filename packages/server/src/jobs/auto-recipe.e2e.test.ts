import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { describeJob } from '../../../cli/src/commands/jobs.ts';

// The auto recipe through real HTTP and the real worker: a budget, lr_search and a cut answer.
describe('auto recipe end to end', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('stores every resolved value with its reason, the worker measured ones included', async () => {
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
    const rows = toyChatRows(24);
    rows[6] = { messages: [{ role: 'user', content: 'Say a lot.' }, { role: 'assistant', content: 'words and more words '.repeat(20) }] };
    const dataset = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), rows))).body;
    const created = await api.post('/jobs', {
      model: model.id,
      dataset: dataset.id,
      tuning: 'full',
      budget: { tokens: 2000 }, // tokens, not minutes: no flake when the machine is busy
      drop_truncated: true,
      hyperparameters: { max_seq_len: 64, batch_size: 4, gradient_accumulation_steps: 1, lr_search: { candidates: [1e-7, 3e-3], steps: 4 } },
    });
    expect(created.status).toBe(201);
    const job = created.body;
    expect(job.resolved.truncated_answers).toMatchObject({ value: { count: 1, lines: [7], dropped: true } });
    expect(job.resolved.truncated_answers.reason).toMatch(/\(line 7\): they are left out/);
    expect(job.resolved.budget.reason).toMatch(/^2000 training tokens: the worker times its first steps/);
    expect(job.resolved.learning_rate.reason).toMatch(/full fine-tuning on a .* model: 0.00001 is typical for 7B/);
    const spec = JSON.parse(readFileSync(join(home, 'jobs', job.id, 'spec.json'), 'utf8'));
    expect(spec.budget).toEqual({ tokens: 2000 });
    expect(spec.data.drop_truncated).toBe(true);

    const done = await api.waitFor(job.id, ['succeeded', 'failed']);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.resolved.learning_rate).toMatchObject({ value: 3e-3, source: 'worker' });
    expect(done.resolved.learning_rate.reason).toMatch(/^lr_search: the lowest eval loss of 2 trials/);
    const plans = (await api.events(job.id)).filter((e) => e.type === 'plan' || e.type === 'trial' || e.type === 'log');
    expect(done.resolved.total_steps, JSON.stringify(plans)).toMatchObject({ source: 'worker' });
    expect(done.resolved.total_steps.reason).toMatch(/^the budget fits \d+ steps \(.* epochs\) at .* s a step, \d+ of 2000 tokens left/);
    // full tuning trains fp32 weights on any CPU (LoRA's base would be bf16 on one with AMX)
    expect(done.resolved.dtype).toEqual({ value: 'float32', source: 'worker', reason: "fp32 on the CPU: the trained weights need fp32 for the optimizer's small updates" });
    const events = (await api.events(job.id)).map((e) => e.type);
    expect(events.filter((t) => t === 'trial')).toHaveLength(2);
    const shown = describeJob(done);
    expect(shown).toMatch(/total_steps .* worker +the budget fits/);
    expect(shown).toMatch(/truncated_answers/);
    expect(shown).toMatch(/dtype +"float32" +worker +fp32 on the CPU/);
  });
});
