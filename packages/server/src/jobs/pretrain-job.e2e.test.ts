import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';

/** Paragraphs of a made-up domain with a fixed grammar: text a tiny model can learn to predict. */
function domainText(paragraphs: number): string {
  const parts = ['pump', 'valve', 'filter', 'sensor', 'motor', 'gauge'];
  const states = ['open', 'closed', 'worn', 'clean', 'stable', 'loose'];
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    const a = parts[i % parts.length]!;
    const b = states[(i * 5) % states.length]!;
    out.push(`Check the ${a} every morning. If the ${a} is ${b}, log it as ${b} and call the shift lead.\n检查${a}，状态为${b}时记录。`);
  }
  return out.join('\n\n') + '\n';
}

// Issue 17: continued pre-training on raw text through the job API, with the real worker on the
// tiny model: planned in blocks, held-out perplexity before and after, an output that serves.
describe('continued pre-training (method "pretrain")', () => {
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

  it('trains on a .txt upload in blocks, lowers held-out perplexity, and the result answers /v1/completions', { timeout: 480_000 }, async () => {
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
    const file = join(home, 'manual.txt');
    writeFileSync(file, domainText(120));
    const dataset = (await api.upload(file)).body;
    expect(dataset).toMatchObject({ status: 'ready', purpose: 'pretrain', rows: 120 });

    const created = await api.post('/jobs', {
      model: model.id,
      dataset: dataset.id,
      method: 'pretrain',
      tuning: 'lora',
      hyperparameters: { max_seq_len: 64, learning_rate: 3e-3, epochs: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = created.body;
    expect(job.method).toBe('pretrain');
    // Planned in blocks of 64 tokens from the counted tokens, not in documents.
    expect(job.resolved.train_blocks.reason).toMatch(/tokens counted with the model's tokenizer.*blocks of 64 tokens a pass, 2 passes/);
    expect(job.resolved.train_blocks.value).toBeGreaterThan(job.resolved.validation_rows.value);

    const done = await api.waitFor(job.id, ['succeeded', 'failed'], 420_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const events = await api.events(job.id);
    const evals = events.filter((e) => e.type === 'eval');
    expect(evals[0].step).toBe(0); // the step-0 point: perplexity before any update
    for (const e of evals) expect(e.perplexity).toBeCloseTo(Math.exp(e.eval_loss), 3);
    const result = events.find((e) => e.type === 'result');
    expect(result.perplexity.before).toBeCloseTo(evals[0].perplexity, 3);
    expect(result.perplexity.after).toBeLessThan(0.7 * result.perplexity.before);
    expect(done.resolved.perplexity.reason).toMatch(/^held-out perplexity [\d.]+ before training, [\d.]+ after \(-\d/);
    const metrics = (await api.get(`/jobs/${job.id}/metrics`)).body;
    expect(JSON.stringify(metrics)).toMatch(/eval_perplexity/);

    // The result is a model like any other: raw-text continuation on /v1.
    const out = (await api.get(`/models/${done.output_model_id}`)).body;
    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: out.name, prompt: 'Check the pump every', max_tokens: 8, temperature: 0 }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].text.length).toBeGreaterThan(0);
  });

  it('says when the text is too little for continued pre-training to help, and offers the QA path', async () => {
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny-small' })).body;
    const file = join(home, 'note.txt');
    writeFileSync(file, domainText(3));
    const dataset = (await api.upload(file)).body;
    const plan = await api.post('/jobs?dry_run=true', { model: model.id, dataset: dataset.id, method: 'pretrain', hyperparameters: { max_seq_len: 64 } });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.resolved.train_blocks.reason).toMatch(/little text for continued pre-training.*qa-drafts.*method "sft"/);
  });
});
