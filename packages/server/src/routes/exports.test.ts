import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Export } from '@whetstone/core';
import { REPO_ROOT, VENV_PYTHON } from '../../../../test-support/paths.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { newId, nowIso } from '../ids.ts';
import { ExportStore } from '../store/export-store.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

// Loads the merged folder as a user would: transformers alone, no PEFT.
const LOAD_MERGED = `
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
tok = AutoTokenizer.from_pretrained(sys.argv[1])
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
ids = tok.apply_chat_template([{"role": "user", "content": "hi"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)["input_ids"]
print(json.dumps({"logits": list(model(ids).logits.shape), "lora": any("lora" in n for n, _ in model.named_parameters())}))
`;

describe('exports API', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const finished = async (id: string): Promise<Export> => {
    for (let i = 0; i < 1200; i++) {
      const e = await json<Export>(await app.request(`/api/v1/exports/${id}`));
      if (e.status !== 'running') return e;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`export ${id} still running after 120 s`);
  };

  beforeAll(async () => {
    const tiny = ensureTinyModel();
    const base = await json(await post('/api/v1/models', { path: tiny, name: 'tiny' }));
    registerTinyTuned(ctx.store, base);
  });
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });

  it('refuses bad requests with a code, a message and a hint, and records nothing', async () => {
    const cases: [string, unknown, number, string, RegExp][] = [
      ['nope', { format: 'merged' }, 404, 'MODEL_NOT_FOUND', /nope/],
      ['tiny', { format: 'peft' }, 400, 'INVALID_REQUEST', /"tiny" is a base model, and format "peft" exports a fine-tuned adapter/],
      ['tiny', { format: 'gguf', quantization: 'q4_k_m' }, 400, 'INVALID_REQUEST', /quantization.*q4_k_m/],
      ['tiny', { format: 'merged', quantization: 'q8_0' }, 400, 'INVALID_REQUEST', /quantization applies to gguf only, got q8_0 for merged/],
      ['tiny', { format: 'onnx' }, 400, 'INVALID_REQUEST', /format/],
    ];
    for (const [model, body, status, code, message] of cases) {
      const res = await post(`/api/v1/models/${model}/exports`, body);
      const { error } = await json(res);
      expect({ model, body, status: res.status, code: error.code }).toEqual({ model, body, status, code });
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    }
    const missing = await app.request('/api/v1/exports/exp_nope');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toMatchObject({ code: 'EXPORT_NOT_FOUND', hint: expect.stringMatching(/GET \/api\/v1\/exports/) });
    expect((await json(await app.request('/api/v1/exports'))).data).toEqual([]);
  });

  it('exports a job result merged (a loadable HF folder) and as GGUF q8_0, reuses them and serves their files', async () => {
    const [mergedRes, ggufRes] = await Promise.all([
      post('/api/v1/models/tiny-tuned/exports', { format: 'merged' }),
      post('/api/v1/models/tiny-tuned/exports', { format: 'gguf', quantization: 'q8_0' }),
    ]);
    expect([mergedRes.status, ggufRes.status]).toEqual([202, 202]);
    const started = await json<Export>(mergedRes);
    // The same export asked again while it runs is that one export, not a second worker.
    const joined = await post('/api/v1/models/tiny-tuned/exports', { format: 'merged' });
    expect(joined.status).toBe(202);
    expect((await json<Export>(joined)).id).toBe(started.id);
    expect(started).toMatchObject({ status: 'running', format: 'merged', quantization: null, path: join(home, 'exports', started.model_id, 'merged') });
    const [merged, gguf] = await Promise.all([finished(started.id), finished((await json<Export>(ggufRes)).id)]);

    expect(merged, JSON.stringify(merged.error)).toMatchObject({ status: 'succeeded', error: null });
    expect(merged.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'generation_config.json']));
    expect(merged.size_bytes).toBeGreaterThan(0);
    // no temporary folders or spec files left beside the export
    expect(readdirSync(join(home, 'exports', merged.model_id)).sort()).toEqual(['gguf-q8_0', 'merged']);
    const loaded = JSON.parse(execFileSync(VENV_PYTHON, ['-c', LOAD_MERGED, merged.path], { cwd: join(REPO_ROOT, 'worker'), encoding: 'utf8' }));
    expect(loaded.lora).toBe(false);
    expect(loaded.logits).toHaveLength(3);

    expect(gguf, JSON.stringify(gguf.error)).toMatchObject({ status: 'succeeded', quantization: 'q8_0', files: ['tiny-tuned-q8_0.gguf'] });
    const file = await app.request(`/api/v1/exports/${gguf.id}/files/tiny-tuned-q8_0.gguf`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytes.length).toBe(gguf.size_bytes);
    expect(bytes.equals(readFileSync(join(gguf.path, 'tiny-tuned-q8_0.gguf')))).toBe(true);

    // Asking again returns the finished export instead of writing it twice.
    const again = await post('/api/v1/models/tiny-tuned/exports', { format: 'merged' });
    expect(again.status).toBe(200);
    expect((await json<Export>(again)).id).toBe(merged.id);
    expect((await json(await app.request('/api/v1/exports'))).data.map((e: Export) => e.id).sort()).toEqual([merged.id, gguf.id].sort());

    // Downloads name one file of the folder, nothing else.
    for (const [name, status, code] of [
      ['..%2F..%2Fwhet.db', 400, 'INVALID_REQUEST'],
      ['..%5C..%5Cwhet.db', 400, 'INVALID_REQUEST'],
      ['%2Fetc%2Fpasswd', 400, 'INVALID_REQUEST'],
      ['missing.bin', 404, 'NOT_FOUND'],
    ] as const) {
      const res = await app.request(`/api/v1/exports/${merged.id}/files/${name}`);
      const { error } = await json(res);
      expect({ name, status: res.status, code: error.code }).toEqual({ name, status, code });
      expect(error.hint).toMatch(/config\.json/);
    }
  });

  it('serves a finished GGUF export in a llamacpp deployment of the same weights instead of exporting again', async () => {
    const gguf = (await json(await app.request('/api/v1/exports'))).data.find((e: Export) => e.format === 'gguf' && e.quantization === 'q8_0');
    expect(gguf).toMatchObject({ status: 'succeeded' });
    const res = await post('/api/v1/deployments', { model: 'tiny-tuned', backend: 'llamacpp', quantization: 'q8_0', name: 'tuned-q8' });
    expect(res.status).toBe(201);
    expect((await json(res)).weights_path).toBe(join(gguf.path, 'tiny-tuned-q8_0.gguf'));
    const answer = await post('/v1/completions', { model: 'tuned-q8', prompt: 'hello', max_tokens: 2, temperature: 0 });
    expect(answer.status).toBe(200);
    expect((await json(answer)).usage.completion_tokens).toBe(2);
    // no second export: only the user's export folder is there, none for the deployment
    expect(readdirSync(join(home, 'exports'))).toEqual([gguf.model_id]);
    expect((await app.request('/api/v1/deployments/tuned-q8', { method: 'DELETE' })).status).toBe(200);
  });

  it('copies a job adapter as is with format peft', async () => {
    const res = await post('/api/v1/models/tiny-tuned/exports', { format: 'peft' });
    expect(res.status).toBe(202);
    const e = await finished((await json<Export>(res)).id);
    expect(e).toMatchObject({ status: 'succeeded', format: 'peft' });
    expect(e.files).toEqual(expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors']));
    expect(existsSync(join(e.path, 'adapter_config.json'))).toBe(true);
  });
});

describe('exports after a restart', () => {
  it('marks an export that was running when the server stopped as failed', async () => {
    const { home, cleanup } = tempHome();
    const { app, ctx } = testApp(home);
    try {
      // As the previous server process left it: running, with no worker behind it any more.
      new ExportStore((ctx.store as SqliteStore).db).insert({
        id: 'exp_orphan',
        model_id: 'mdl_x',
        format: 'merged',
        quantization: null,
        status: 'running',
        path: join(home, 'exports', 'mdl_x', 'merged'),
        files: [],
        size_bytes: null,
        error: null,
        created_at: nowIso(),
        finished_at: null,
      });
      const e = await json<Export>(await app.request('/api/v1/exports/exp_orphan'));
      expect(e).toMatchObject({ status: 'failed', error: { code: 'EXPORT_FAILED', message: expect.stringMatching(/server stopped/), hint: expect.any(String) } });
      const download = await app.request('/api/v1/exports/exp_orphan/files/config.json');
      expect(download.status).toBe(409);
      expect((await json(download)).error.message).toMatch(/is failed, it has no files/);
    } finally {
      ctx.store.close();
      cleanup();
    }
  });
});
