import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWhetError, WhetError } from '@whetstone/core';
import { chunkDocument } from './chunk-document.ts';
import { chatCompletion } from './chat-endpoint.ts';
import { generateQaPairs, qaPairsToRows } from './generate-qa-pairs.ts';
import { parseQaPairs } from './parse-qa-pairs.ts';

// A real HTTP server on 127.0.0.1 that answers POST /v1/chat/completions in OpenAI's format,
// the interface Whetstone's own /v1 and any OpenAI-compatible server implement. It answers from
// the text it was sent, in the shape each chunk's first word asks for, so replies vary as real
// models' do. An end-to-end run with the real demo model comes with the generation server.
const KEY = 'sk-test-123';
const requests: { auth: string | undefined; body: any }[] = [];

function reply(chunk: string): string {
  const text = chunk.split('\n').filter((l) => !l.startsWith('#')).join(' ');
  const first = text.split(/\s+/)[0];
  const fact = text.split(/(?<=\.)\s/)[0]!;
  if (first === 'FENCED') return 'Sure! Here are the pairs:\n```json\n{"pairs": [{"question": "What does the text say?", "answer": ' + JSON.stringify(fact) + '}]}\n```';
  if (first === 'LINES') return `Q1: What is stated?\nA1: ${fact}\n\nQ2: Anything else?\nA2: No.`;
  if (first === 'NOTHING') return 'I cannot help with that.';
  return JSON.stringify({ pairs: [{ question: `What about "${first}"?`, answer: fact }] });
}

let server: Server;
let baseUrl = '';
beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw);
    requests.push({ auth: req.headers.authorization, body });
    const send = (status: number, obj: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') return send(404, { error: { message: `no route ${req.url}`, type: 'invalid_request_error' } });
    if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (body.model !== 'qa-model') return send(404, { error: { message: `The model ${body.model} does not exist`, code: 'model_not_found' } });
    const user = body.messages.find((m: any) => m.role === 'user').content as string;
    const text = /"""\n([\s\S]*?)\n"""/.exec(user)![1]!;
    send(200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply(text) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('generateQaPairs against an OpenAI-compatible endpoint', () => {
  const doc = [
    '# Whetstone',
    'Whetstone fine-tunes models. It runs on a laptop.',
    '## Data',
    'FENCED Datasets are validated line by line. Errors name the line.',
    '## Training',
    'LINES LoRA trains small adapters. They are cheap.',
    '## Misc',
    'NOTHING This section yields no pair.',
  ].join('\n');

  it('chunks a document, asks for pairs per chunk, and parses JSON, fenced JSON and Q/A lines', async () => {
    const chunks = chunkDocument(doc, { markdown: true, maxSize: 500 });
    expect(chunks).toHaveLength(4);
    let progress = 0;
    const r = await generateQaPairs(chunks, { baseUrl, apiKey: KEY, model: 'qa-model' }, { pairsPerChunk: 2, onProgress: (d) => (progress = d) });
    expect(progress).toBe(4);
    expect(r.pairs).toEqual([
      { question: 'What about "Whetstone"?', answer: 'Whetstone fine-tunes models.', chunk_index: 0 },
      { question: 'What does the text say?', answer: 'FENCED Datasets are validated line by line.', chunk_index: 1 },
      { question: 'What is stated?', answer: 'LINES LoRA trains small adapters.', chunk_index: 2 },
      { question: 'Anything else?', answer: 'No.', chunk_index: 2 },
    ]);
    expect(r.failures).toEqual([{ chunk_index: 3, code: 'NO_PAIRS', message: expect.stringContaining('I cannot help with that.') }]);
    // the request is OpenAI's: model, system + user messages with the section path, the key as a bearer token
    const last = requests.at(-1)!;
    expect(last.auth).toBe(`Bearer ${KEY}`);
    expect(last.body).toMatchObject({ model: 'qa-model', stream: false });
    expect(last.body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
    expect(requests.some((q) => q.body.messages[1].content.includes('Section: Whetstone > Training'))).toBe(true);

    const rows = qaPairsToRows(r.pairs, 'You answer questions about Whetstone.');
    expect(rows[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(rows[0]!.messages[2]!.content).toBe(r.pairs[0]!.answer);
  });

  it('stops at once with ENDPOINT_FAILED, naming the cause, when the key, model or URL is wrong', async () => {
    const chunks = chunkDocument(doc, { markdown: true });
    const before = requests.length;
    const expectFailure = async (p: Promise<unknown>, status: RegExp, hint: RegExp) => {
      const e = await p.then(() => null, (x: unknown) => x);
      expect(isWhetError(e), String(e)).toBe(true);
      expect((e as any).code).toBe('ENDPOINT_FAILED');
      expect((e as any).message).toMatch(status);
      expect((e as any).hint).toMatch(hint);
      expect((e as any).message).not.toContain('wrong-key');
    };
    await expectFailure(generateQaPairs(chunks, { baseUrl, apiKey: 'wrong-key', model: 'qa-model' }), /HTTP 401: Incorrect API key/, /API key/);
    expect(requests.length - before).toBe(1); // one request, not one per chunk
    await expectFailure(chatCompletion({ baseUrl, apiKey: KEY, model: 'ghost' }, [{ role: 'user', content: 'hi' }]), /HTTP 404: The model ghost/, /model name "ghost"/);
    await expectFailure(chatCompletion({ baseUrl: baseUrl.replace('/v1', ''), apiKey: KEY, model: 'qa-model' }, [{ role: 'user', content: 'hi' }]), /HTTP 404/, /ends in \/v1/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expectFailure(chatCompletion({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'qa-model' }, [{ role: 'user', content: 'hi' }]), /cannot reach .*ECONNREFUSED/, /running/);
  });
});

describe('generateQaPairs with an in-process ChatFn (how the server calls a registered model)', () => {
  it('passes the sampling options, stops on a first-call error, and reports later errors per chunk with their code', async () => {
    const chunks = chunkDocument('One fact.\n\nTwo fact.\n\nThree fact.', { maxSize: 12 });
    expect(chunks).toHaveLength(3);
    const seen: { temperature?: number; maxTokens?: number }[] = [];
    const r = await generateQaPairs(
      chunks,
      async (messages, o) => {
        seen.push(o);
        const text = /"""\n([\s\S]*?)\n"""/.exec(messages[1]!.content)![1]!;
        if (text.startsWith('Two')) throw new WhetError('GENERATION_FAILED', 'the worker stopped');
        return { content: `Q: What is it?\nA: ${text}`, finish_reason: 'stop', usage: null };
      },
      { temperature: 0, maxTokens: 32, concurrency: 1 },
    );
    expect(seen).toEqual([{ temperature: 0, maxTokens: 32 }, { temperature: 0, maxTokens: 32 }, { temperature: 0, maxTokens: 32 }]);
    expect(r.pairs).toEqual([
      { question: 'What is it?', answer: 'One fact.', chunk_index: 0 },
      { question: 'What is it?', answer: 'Three fact.', chunk_index: 2 },
    ]);
    expect(r.failures).toEqual([{ chunk_index: 1, code: 'GENERATION_FAILED', message: 'the worker stopped' }]);

    let calls = 0;
    const first = await generateQaPairs(chunks, async () => {
      calls++;
      throw new WhetError('MODEL_NOT_FOUND', 'the model "ghost" does not exist');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isWhetError(first) && first.code).toBe('MODEL_NOT_FOUND');
    expect(calls).toBe(1);
  });
});

describe('parseQaPairs', () => {
  it('reads JSON arrays, objects with any array field, Chinese labels, and drops empty sides', () => {
    expect(parseQaPairs('[{"q": "a?", "a": "b"}]')).toEqual([{ question: 'a?', answer: 'b' }]);
    expect(parseQaPairs('Result: {"items": [{"question": "x?", "answer": "y"}, {"question": "", "answer": "z"}]} done')).toEqual([{ question: 'x?', answer: 'y' }]);
    expect(parseQaPairs('问：什么是LoRA？\n答：一种低秩适配方法。\n问题：它快吗？\n答案：是的。')).toEqual([
      { question: '什么是LoRA？', answer: '一种低秩适配方法。' },
      { question: '它快吗？', answer: '是的。' },
    ]);
    expect(parseQaPairs('**Question:** Why?\n**Answer:** Because\nit is.')).toEqual([{ question: 'Why?', answer: 'Because\nit is.' }]);
    expect(parseQaPairs('no pairs here')).toEqual([]);
  });
});
