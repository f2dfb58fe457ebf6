import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';

/**
 * Documents into supervised data with a REGISTERED model, end to end: a Markdown document is
 * uploaded, pairs are drafted by the real `whet_worker serve` through the server's gateway (no
 * base_url, no HTTP to ourselves), one is edited, and the reviewed pairs are saved as a dataset.
 * The tiny fixture model's weights are random, so its replies are noise: the parser must not
 * invent pairs from them, and each chunk that gave none must be reported as a clean NO_PAIRS.
 */
const DEMO_MODEL = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');

const doc = [
  '# Whetstone',
  'Whetstone is a self-hosted platform that fine-tunes language models on your own data.',
  '## Datasets',
  'Datasets are validated line by line, and every error names its line and field.',
  '## Training',
  'LoRA training keeps the base model frozen and learns small adapter matrices.',
].join('\n');

type Draft = {
  filename: string;
  chunks: { index: number; text: string; headings: string[]; start_line: number; end_line: number }[];
  chunks_used: number;
  pairs: { question: string; answer: string; chunk_index: number }[];
  failures: { chunk_index: number; code: string; message: string }[];
};

describe('qa-drafts with a registered model (real worker)', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  const post = async (path: string, body: unknown) => {
    const res = await app.request(`/api/v1${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: await json(res) };
  };
  const draft = async (fields: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([doc]), 'guide.md');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await app.request('/api/v1/datasets/qa-drafts', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  /** The shape every draft has, whatever the model wrote: pairs and failures account for each chunk sent. */
  const expectWellFormed = (d: Draft, used: number) => {
    expect(d.filename).toBe('guide.md');
    expect(d.chunks.map((c) => c.headings)).toEqual([['Whetstone'], ['Whetstone', 'Datasets'], ['Whetstone', 'Training']]);
    expect(d.chunks_used).toBe(used);
    for (const p of d.pairs) {
      expect(typeof p.question).toBe('string');
      expect(typeof p.answer).toBe('string');
      expect(p.question.trim().length).toBeGreaterThan(0);
      expect(p.answer.trim().length).toBeGreaterThan(0);
      expect(p.chunk_index).toBeGreaterThanOrEqual(0);
      expect(p.chunk_index).toBeLessThan(used); // provenance: one of the chunks sent
    }
    for (const f of d.failures) {
      expect(f.code).toBe('NO_PAIRS');
      expect(f.message).toMatch(/^the reply held no question-answer pair: /);
      expect(d.pairs.some((p) => p.chunk_index === f.chunk_index)).toBe(false);
    }
    const answered = new Set([...d.pairs.map((p) => p.chunk_index), ...d.failures.map((f) => f.chunk_index)]);
    expect([...answered].sort()).toEqual(Array.from({ length: used }, (_, i) => i));
  };
  let tinyId = '';

  beforeAll(async () => {
    const r = await post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    tinyId = r.body.id;
  });
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });

  it('tiny model by id: drafts, reports noise as NO_PAIRS, and the reviewed pairs become a ready dataset', async () => {
    const r = await draft({ model: tinyId, max_chunks: '2', pairs_per_chunk: '1', max_tokens: '24', temperature: '0' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body as Draft;
    expectWellFormed(d, 2);
    // Random weights write random bytes: what was parsed is reported, never made up.
    console.info(`tiny model: ${d.pairs.length} pairs parsed, ${d.failures.length} chunks gave none`);

    // Review: edit the first drafted pair, and write one by hand for a chunk that gave none.
    const reviewed = [
      ...d.pairs.map((p, i) => (i === 0 ? { ...p, answer: 'Edited by the reviewer.' } : p)),
      { question: 'How are datasets validated?', answer: 'Line by line; every error names its line and field.', chunk_index: 1 },
    ];
    const saved = await post('/datasets/from-qa', { name: 'guide-qa', pairs: reviewed });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ name: 'guide-qa', status: 'ready', rows: reviewed.length, format: 'openai', purpose: 'sft' });
    expect(saved.body.preview.at(-1).messages).toEqual([
      { role: 'user', content: 'How are datasets validated?' },
      { role: 'assistant', content: 'Line by line; every error names its line and field.' },
    ]);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('by name too; an unknown model is one 404 before any chunk is sent, and a raw key is refused', async () => {
    const byName = await draft({ model: 'tiny', max_chunks: '1', pairs_per_chunk: '1', max_tokens: '8', temperature: '0' });
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expectWellFormed(byName.body, 1);

    const ghost = await draft({ model: 'ghost' });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error).toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'model' });
    expect(ghost.body.error.hint).toMatch(/\/v1\/models/);

    const key = await draft({ model: 'tiny', api_key: 'sk-1' });
    expect(key.status).toBe(400);
    expect(key.body.error.hint).toMatch(/connection/);
  });

  it.skipIf(!existsSync(join(DEMO_MODEL, 'config.json')))('demo model (SmolLM2-135M-Instruct): real generations parse into at least one pair, saved as a dataset', async () => {
    const reg = await post('/models', { path: DEMO_MODEL, name: 'smollm2' });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const r = await draft({ model: 'smollm2', max_chunks: '1', pairs_per_chunk: '1', max_tokens: '48', temperature: '0' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body as Draft;
    expectWellFormed(d, 1);
    console.info(`demo model: ${d.pairs.length} pairs parsed, ${d.failures.length} chunks gave none`, JSON.stringify(d.pairs), JSON.stringify(d.failures));
    expect(d.pairs.length).toBeGreaterThanOrEqual(1);

    const reviewed = d.pairs.map((p, i) => (i === 0 ? { ...p, question: `${p.question} (reviewed)` } : p));
    const saved = await post('/datasets/from-qa', { name: 'guide-demo-qa', pairs: reviewed });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ status: 'ready', rows: reviewed.length });
    expect(saved.body.preview[0].messages[0]).toEqual({ role: 'user', content: reviewed[0]!.question });
  });
});
