import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';

// Dataset statistics and advice through the API, on the real tiny model: token counts checked
// against the tokenizer library run over the chat rendered by hand (ChatML), duplicates against
// the rows the test itself repeated.
describe('GET /api/v1/datasets/:id/stats', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  const modelDir = ensureTinyModel();
  const raw = new Tokenizer(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')));
  let modelId = '';
  let datasetId = '';

  // 30 distinct chats of growing length, then 3 exact repeats and 2 that differ only in case/spacing.
  const rows = Array.from({ length: 30 }, (_, i) => ({
    messages: [
      { role: 'user', content: `Question ${i}: ${'why is the sky blue? '.repeat(1 + (i % 7))}` },
      { role: 'assistant', content: `Answer ${i}: ${'因为瑞利散射。'.repeat(1 + (i % 5))}` },
    ],
  }));
  const repeats = [rows[0], rows[1], rows[2]];
  const nearRepeats = [3, 4].map((i) => ({ messages: rows[i]!.messages.map((m) => ({ ...m, content: `  ${m.content.toUpperCase()}  ` })) }));
  const all = [...rows, ...repeats, ...nearRepeats];
  const chatml = (r: (typeof rows)[number]) => r.messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
  const tokensOf = (r: (typeof rows)[number]) => raw.encode(chatml(r), { add_special_tokens: false }).ids.length;

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: await json(res) };
  };

  beforeAll(async () => {
    const m = await app.request('/api/v1/models', { method: 'POST', body: JSON.stringify({ path: modelDir, name: 'tiny' }), headers: { 'content-type': 'application/json' } });
    modelId = (await json(m)).id;
    const form = new FormData();
    form.set('file', new Blob([all.map((r) => JSON.stringify(r)).join('\n')]), 'chats.jsonl');
    const d = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    expect(d.status).toBe(201);
    datasetId = (await json(d)).id;
  });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('counts tokens with the model\'s tokenizer and chat template, as a count done another way', async () => {
    const r = await get(`/api/v1/datasets/${datasetId}/stats?model=tiny`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const t = r.body.stats.tokens;
    const lengths = all.map(tokensOf).sort((a, b) => a - b);
    expect(t.includes_chat_template).toBe(true);
    expect(t.total).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(t.per_sample.max).toBe(lengths.at(-1));
    expect(t.per_sample.min).toBe(lengths[0]);
    // nearest-rank percentiles of the same lengths
    const rank = (p: number) => lengths[Math.ceil((p / 100) * lengths.length) - 1];
    expect(t.per_sample.p50).toBe(rank(50));
    expect(t.per_sample.p95).toBe(rank(95));
    expect(t.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(all.length);
    expect(t.per_chinese_char).toBeGreaterThan(0);
    expect(t.per_english_word).toBeGreaterThan(0);
    expect(r.body.stats.duplicates).toEqual({ exact: 3, normalized: 5 });
    expect(r.body.model).toMatchObject({ id: modelId, name: 'tiny' });
  });

  it('advises in plain words with the numbers behind it', async () => {
    const lengths = all.map(tokensOf).sort((a, b) => a - b);
    const maxSeqLen = lengths[Math.floor(lengths.length / 2)]!;
    const r = await get(`/api/v1/datasets/${datasetId}/stats?model=${modelId}&max_seq_len=${maxSeqLen}`);
    const byCode = Object.fromEntries(r.body.advice.map((a: any) => [a.code, a]));
    expect(byCode.too_few_samples.numbers.samples).toBe(all.length);
    expect(byCode.context_p95.numbers.p95).toBe(r.body.stats.tokens.per_sample.p95);
    expect(byCode.truncation.numbers.truncated).toBe(lengths.filter((n) => n > maxSeqLen).length);
    expect(byCode.truncation.message).toContain(`max_seq_len ${maxSeqLen}`);
    expect(byCode.duplicates.numbers).toMatchObject({ exact: 3, normalized: 5 });
    // the model's context is 512 tokens; every sample here is shorter, so no context warning
    expect(byCode.context_too_short).toBeUndefined();
  });

  it('caches the counts per model beside the data', async () => {
    expect(existsSync(join(home, 'datasets', datasetId, 'stats', `${modelId}.json`))).toBe(true);
    const again = await get(`/api/v1/datasets/${datasetId}/stats?model=tiny`);
    expect(again.body.stats.tokens.total).toBeGreaterThan(0);
  });

  it('answers 202 "counting" while a large file is counted, then the counts', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `Row ${i}: ${'some words here '.repeat(1 + (i % 13))}` }, { role: 'assistant', content: `Answer ${i}.` }] }));
    const form = new FormData();
    form.set('file', new Blob([many.join('\n')]), 'many.jsonl');
    const id = (await json(await app.request('/api/v1/datasets', { method: 'POST', body: form }))).id;
    const first = await get(`/api/v1/datasets/${id}/stats?model=tiny&wait_ms=0`);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'counting', advice: [] });
    expect(first.body.stats.tokens).toBeNull();
    expect(first.body.stats.rows).toBe(4000);
    const done = await get(`/api/v1/datasets/${id}/stats?model=tiny&wait_ms=60000`);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('ready');
    expect(done.body.stats.tokens.per_sample.max).toBeGreaterThan(done.body.stats.tokens.per_sample.min);
  });

  it('answers character statistics without a model, and refuses unknown ids and bad values', async () => {
    const r = await get(`/api/v1/datasets/${datasetId}/stats`);
    expect(r.status).toBe(200);
    expect(r.body.stats.tokens).toBeNull();
    expect(r.body.advice.map((a: any) => a.code)).toContain('no_token_stats');
    expect((await get(`/api/v1/datasets/ds_ghost/stats?model=tiny`)).body.error.code).toBe('DATASET_NOT_FOUND');
    const m = await get(`/api/v1/datasets/${datasetId}/stats?model=ghost`);
    expect(m.status).toBe(404);
    expect(m.body.error.code).toBe('MODEL_NOT_FOUND');
    const bad = await get(`/api/v1/datasets/${datasetId}/stats?model=tiny&max_seq_len=-3`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('max_seq_len');
  });
});

// Hostile uploads through the API: nothing is written outside the state folder.
describe('POST /api/v1/datasets refuses hostile input', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(join(home, 'state'), { maxUploadBytes: 64 * 1024 });
  const state = join(home, 'state');
  const upload = async (name: string, content: string) => {
    const form = new FormData();
    form.set('file', new Blob([content]), name);
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  const outside = () => readdirSync(home).filter((n) => n !== 'state');
  const row = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('keeps a "../" file name as metadata only, never as a path', async () => {
    for (const name of ['../../escape.jsonl', '..\\..\\escape.jsonl', '/etc/passwd', '..', 'a/../../b.jsonl']) {
      const r = await upload(name, row);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.filename).not.toMatch(/[\\/]/);
      expect(r.body.filename).not.toBe('..');
      expect(readdirSync(join(state, 'datasets', r.body.id)).sort()).toEqual(['data.jsonl', 'upload']);
    }
    expect(outside()).toEqual([]);
    expect(existsSync(join(state, 'escape.jsonl'))).toBe(false);
  });

  it('refuses a file over the upload cap with 413, keeping nothing', async () => {
    const before = readdirSync(join(state, 'datasets')).length;
    const big = (row + '\n').repeat(Math.ceil((80 * 1024) / row.length));
    const r = await upload('big.jsonl', big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(r.body.error.message).toMatch(/limit/);
    expect(r.body.error.hint).toMatch(/WHET_MAX_UPLOAD_MB/);
    expect(readdirSync(join(state, 'datasets')).length).toBe(before);
    expect(outside()).toEqual([]);
  });

  it('reports deep nesting on its line without a stack overflow', async () => {
    const deep = '{"messages": ' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
    const r = await upload('deep.jsonl', `${row}\n${deep}\n${row}\n`);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    expect(r.body.status).toBe('invalid');
    expect(r.body.errors[0].line).toBe(2);
  });
});

// Token statistics counted at upload with a named model, and used by "auto" max_seq_len.
describe('token statistics at upload and in job creation', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home, { maxConcurrentJobs: 0 }); // jobs stay queued: nothing trains here
  const modelDir = ensureTinyModel();
  const rows = Array.from({ length: 40 }, (_, i) => ({
    messages: [
      { role: 'user', content: `Tell me fact ${i}. ${'Words go here. '.repeat(1 + (i % 9))}` },
      { role: 'assistant', content: `Fact ${i} is true.` },
    ],
  }));
  const upload = async (fields: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([rows.map((r) => JSON.stringify(r)).join('\n')]), 'facts.jsonl');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('counts tokens while validating when the upload names a model, and "auto" max_seq_len covers the p99', async () => {
    const m = await app.request('/api/v1/models', { method: 'POST', body: JSON.stringify({ path: modelDir, name: 'tiny' }), headers: { 'content-type': 'application/json' } });
    const modelId = (await json(m)).id;
    const d = await upload({ model: 'tiny' });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const p99 = d.body.stats.tokens.per_sample.p99;
    expect(p99).toBeGreaterThan(0);
    expect(existsSync(join(home, 'datasets', d.body.id, 'stats', `${modelId}.json`))).toBe(true);

    const res = await app.request('/api/v1/jobs', { method: 'POST', body: JSON.stringify({ model: 'tiny', dataset: d.body.id, hyperparameters: { max_steps: 1 } }), headers: { 'content-type': 'application/json' } });
    const job = await json(res);
    expect(res.status, JSON.stringify(job)).toBe(201);
    expect(job.resolved.max_seq_len.reason).toContain(`p99 = ${p99} tokens`);
    expect(job.hyperparameters.max_seq_len).toBe(Math.max(64, Math.ceil(p99 / 64) * 64));
  });

  it('refuses an upload naming an unknown model, keeping nothing', async () => {
    const before = readdirSync(join(home, 'datasets')).length;
    const r = await upload({ model: 'ghost' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('MODEL_NOT_FOUND');
    expect(readdirSync(join(home, 'datasets')).length).toBe(before);
  });
});
