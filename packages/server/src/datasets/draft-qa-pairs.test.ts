import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

// Documents into supervised data through the API: upload a Markdown file, draft pairs with an
// OpenAI-compatible endpoint (a real HTTP server on 127.0.0.1 answering in OpenAI's format, as
// Whetstone's own /v1 will), review them, save them as a dataset.
describe('POST /api/v1/datasets/qa-drafts and /datasets/from-qa', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let llm: Server;
  let baseUrl = '';
  const seen: string[] = [];

  beforeAll(async () => {
    llm = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== 'Bearer k1') {
        res.writeHead(401).end(JSON.stringify({ error: { message: 'Incorrect API key provided' } }));
        return;
      }
      const user = JSON.parse(raw).messages[1].content as string;
      seen.push(user);
      const section = /Section: (.*)/.exec(user)?.[1] ?? 'none';
      const content = JSON.stringify({ pairs: [{ question: `What does "${section}" say?`, answer: `It explains ${section}.` }] });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    ctx.store.close();
    cleanup();
    await new Promise<void>((r) => llm.close(() => r()));
  });

  const draft = async (name: string, content: string, fields: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([content]), name);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await app.request('/api/v1/datasets/qa-drafts', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  const doc = ['# Manual', '## Install', 'Run the installer.', '## Upgrade', 'Run it again.', '## Remove', 'Delete the folder.'].join('\n');

  it('drafts pairs per chunk, and saves the reviewed ones as a chat dataset', async () => {
    const r = await draft('manual.md', doc, { base_url: baseUrl, api_key: 'k1', model: 'any-model', max_chunks: '2', pairs_per_chunk: '1' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.chunks.map((c: any) => c.headings.at(-1))).toEqual(['Manual', 'Install', 'Upgrade', 'Remove']);
    expect(r.body.chunks_used).toBe(2);
    expect(r.body.pairs).toEqual([
      { question: 'What does "Manual" say?', answer: 'It explains Manual.', chunk_index: 0 },
      { question: 'What does "Manual > Install" say?', answer: 'It explains Manual > Install.', chunk_index: 1 },
    ]);
    expect(seen).toHaveLength(2);

    // review: edit one answer, keep both
    const reviewed = r.body.pairs.map((p: any, i: number) => (i === 1 ? { ...p, answer: 'Run the installer.' } : p));
    const saved = await app.request('/api/v1/datasets/from-qa', { method: 'POST', body: JSON.stringify({ name: 'manual-qa', system: 'You answer questions about the manual.', pairs: reviewed }), headers: { 'content-type': 'application/json' } });
    const d = await json(saved);
    expect(saved.status, JSON.stringify(d)).toBe(201);
    expect(d).toMatchObject({ name: 'manual-qa', status: 'ready', rows: 2, format: 'openai', purpose: 'sft' });
    expect(d.preview[1].messages).toEqual([
      { role: 'system', content: 'You answer questions about the manual.' },
      { role: 'user', content: 'What does "Manual > Install" say?' },
      { role: 'assistant', content: 'Run the installer.' },
    ]);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]); // drafts leave nothing behind
  });

  it('names the cause when the endpoint, the fields or the file are wrong', async () => {
    const key = await draft('manual.md', doc, { base_url: baseUrl, api_key: 'wrong', model: 'm' });
    expect(key.status).toBe(502);
    expect(key.body.error).toMatchObject({ code: 'ENDPOINT_FAILED', field: 'endpoint' });
    expect(key.body.error.message).toMatch(/HTTP 401/);
    const url = await draft('manual.md', doc, { base_url: 'not a url', model: 'm' });
    expect(url.status).toBe(400);
    expect(url.body.error.field).toBe('base_url');
    const pdf = await draft('manual.pdf', '%PDF-1.4', { base_url: baseUrl, api_key: 'k1', model: 'm' });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.code).toBe('DATASET_FORMAT_UNKNOWN');
    const empty = await app.request('/api/v1/datasets/from-qa', { method: 'POST', body: JSON.stringify({ pairs: [{ question: ' ', answer: 'x' }] }), headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(ctx.store.listDatasets()).toHaveLength(1);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
