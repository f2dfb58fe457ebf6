import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { tinyPdf } from '../../../../test-support/tiny-pdf.ts';

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
    // What an admin configures once: callers name the connection, never a URL or a key.
    ctx.connections.create({ name: 'llm', base_url: baseUrl, api_key: 'k1', model: 'any-model' });
    ctx.connections.create({ name: 'llm-bad-key', base_url: baseUrl, api_key: 'wrong' });
  });
  afterAll(async () => {
    ctx.store.close();
    cleanup();
    await new Promise<void>((r) => llm.close(() => r()));
  });

  const draft = async (name: string, content: string | Uint8Array, fields: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await app.request('/api/v1/datasets/qa-drafts', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  const doc = ['# Manual', '## Install', 'Run the installer.', '## Upgrade', 'Run it again.', '## Remove', 'Delete the folder.'].join('\n');

  it('drafts pairs per chunk, and saves the reviewed ones as a chat dataset', async () => {
    const r = await draft('manual.md', doc, { connection: 'llm', max_chunks: '2', pairs_per_chunk: '1' });
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
    const key = await draft('manual.md', doc, { connection: 'llm-bad-key', model: 'm' });
    expect(key.status).toBe(502);
    expect(key.body.error).toMatchObject({ code: 'ENDPOINT_FAILED', field: 'endpoint' });
    expect(key.body.error.message).toMatch(/HTTP 401/);
    expect(JSON.stringify(key.body)).not.toContain('wrong'); // the key never comes back
    const ghost = await draft('manual.md', doc, { connection: 'nope' });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error).toMatchObject({ code: 'CONNECTION_NOT_FOUND', message: 'no connection named "nope"' });
    const noModel = await draft('manual.md', doc, { connection: 'llm-bad-key' });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.field).toBe('model');
    const docx = await draft('manual.docx', 'PK\u0003\u0004', { connection: 'llm' });
    expect(docx.status).toBe(400);
    expect(docx.body.error).toMatchObject({ code: 'DATASET_FORMAT_UNKNOWN', message: '"manual.docx" is not a .txt, .md or .pdf document', field: 'file' });
    expect(docx.body.error.hint).toMatch(/a PDF with a text layer/);
    const empty = await app.request('/api/v1/datasets/from-qa', { method: 'POST', body: JSON.stringify({ pairs: [{ question: ' ', answer: 'x' }] }), headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(ctx.store.listDatasets()).toHaveLength(1);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  // Four paragraphs of about 120 characters on two pages: at chunk_chars 200, one chunk each.
  const paras = [
    ['The pump must be primed before its first start.', 'Fill the housing with water through the top plug.', 'Then start it.'],
    ['Check the seal every month for drips or cracks.', 'A worn seal is replaced, never glued or patched.', 'Use the kit.'],
    ['In winter, drain the pump when it stands unused.', 'Frozen water left inside will crack the housing.', 'Drain it all.'],
    ['Spare parts are ordered by the serial number on', 'the plate beside the outlet, not by the model.', 'Keep it clean.'],
  ];
  const manual = tinyPdf([{ lines: [...paras[0]!, '', ...paras[1]!] }, { lines: [...paras[2]!, '', ...paras[3]!] }]);

  it('drafts pairs from a PDF\'s text layer, chunked by paragraph and page', async () => {
    const before = seen.length;
    const r = await draft('pump manual.pdf', manual, { connection: 'llm', chunk_chars: '200', max_chunks: '3', pairs_per_chunk: '1' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.filename).toBe('pump manual.pdf');
    expect(r.body.chunks.map((c: any) => c.text)).toEqual(paras.map((p) => p.join('\n')));
    expect(r.body.chunks.map((c: any) => [c.start_line, c.end_line])).toEqual([[1, 3], [5, 7], [9, 11], [13, 15]]);
    expect(r.body.chunks_used).toBe(3);
    expect(r.body.pairs.map((p: any) => p.chunk_index)).toEqual([0, 1, 2]);
    expect(r.body.failures).toEqual([]);
    // the endpoint saw each chunk's text, in order
    expect(seen.slice(before)).toHaveLength(3);
    paras.slice(0, 3).forEach((p, i) => expect(seen.slice(before).some((u) => u.includes(p.join('\n'))), `chunk ${i}`).toBe(true));
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a PDF it cannot read with its code and hint, before any model call, leaving nothing behind', async () => {
    const before = seen.length;
    const datasets = ctx.store.listDatasets().length;
    const fields = { connection: 'llm' };
    const cases: [string, string | Uint8Array, string, RegExp, RegExp][] = [
      ['notes.pdf', 'Plain notes, named .pdf.', 'DATASET_FORMAT_UNKNOWN', /is not a PDF/, /PDF, plain text \(\.txt\) or Markdown/],
      ['cut.pdf', manual.subarray(0, 150), 'DOCUMENT_UNREADABLE', /cannot be read as a PDF: Invalid PDF structure/, /damaged or cut short/],
      ['locked.pdf', tinyPdf([{ lines: ['Secret.'] }], { password: 'pw' }), 'DOCUMENT_UNREADABLE', /is password-protected/, /Remove the password/],
      ['scan.pdf', tinyPdf([{ image: true }]), 'DATASET_EMPTY', /no text layer/, /OCR.*ocrmypdf/],
    ];
    for (const [name, content, code, message, hint] of cases) {
      const r = await draft(name, content, fields);
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code, field: 'file' });
      expect(r.body.error.message).toMatch(message);
      expect(r.body.error.message).toContain(`"${name}"`);
      expect(r.body.error.hint).toMatch(hint);
    }
    expect(seen.length).toBe(before);
    expect(ctx.store.listDatasets()).toHaveLength(datasets);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
