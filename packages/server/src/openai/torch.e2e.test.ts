import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PlaygroundStreamEventSchema } from '@whetstone/core';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testServer } from '../../../../test-support/server.ts';
import type { RunningServer } from '../start-server.ts';

type Health = { running: number; queue: number } | null;
const idle = (h: Health) => h !== null && h.running + h.queue === 0;

/** Ask the worker's health every `everyMs` until `done` holds or `tries` run out; the last answer. */
async function healthUntil(pooled: { backend: { health(): Promise<Health> } }, done: (h: Health) => boolean, tries: number, everyMs: number): Promise<Health> {
  let health = await pooled.backend.health();
  for (let i = 0; i < tries && !done(health); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    health = await pooled.backend.health();
  }
  return health;
}

/**
 * The OpenAI-compatible API on the torch backend: the real `whet_worker serve` on the tiny
 * fixture model, loaded on first use, a LoRA adapter chosen per request by model name, and
 * freed after the idle timeout. Called with the official `openai` client over 127.0.0.1.
 */
describe('/v1 on the torch backend (tiny model, on demand)', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let client: OpenAI;
  const messages = [{ role: 'user' as const, content: 'hello there' }];
  const greedy = { temperature: 0, max_tokens: 12 } as const;

  beforeAll(async () => {
    server = await testServer(home, { serveIdleSeconds: 3 });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    const tiny = ensureTinyModel();
    const res = await fetch(`${server.url}/api/v1/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: tiny, name: 'tiny' }) });
    const base = await json(res);
    registerTinyTuned(server.ctx.store, base);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('loads the model on first use and answers plain and streamed chats identically at temperature 0', async () => {
    const plain = await client.chat.completions.create({ model: 'tiny', messages, ...greedy });
    expect(plain.model).toBe('tiny');
    expect(plain.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(plain.usage!.completion_tokens).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(plain.choices[0]!.finish_reason);

    const stream = await client.chat.completions.create({ model: 'tiny', messages, ...greedy, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    let finish;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(finish).toBe(plain.choices[0]!.finish_reason);
    expect(usage).toEqual(plain.usage);

    const raw = await client.completions.create({ model: 'tiny', prompt: 'hello', ...greedy });
    expect(raw.choices[0]!.text.length).toBeGreaterThan(0);
  });

  it('switches adapters per request by model name, and batches concurrent requests with the same answers', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['tiny', 'tiny-tuned']);
    expect(models.data[1]).toMatchObject({ kind: 'fine-tuned', root: 'tiny' });

    const alone = async (model: string) => (await client.chat.completions.create({ model, messages, ...greedy })).choices[0]!.message.content;
    const base = await alone('tiny');
    const tuned = await alone('tiny-tuned');
    expect(tuned).not.toBe(base);
    const together = await Promise.all(['tiny', 'tiny-tuned', 'tiny', 'tiny-tuned'].map(alone));
    expect(together).toEqual([base, tuned, base, tuned]);

    // The playground puts the base and the fine-tuned model side by side.
    const compare = await fetch(`${server.url}/api/v1/playground/compare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ models: ['tiny', 'tiny-tuned'], messages, ...greedy }),
    });
    const { data } = await json(compare);
    expect(data.map((a: { model: string; text: string; error: unknown }) => [a.model, a.text, a.error])).toEqual([
      ['tiny', base, null],
      ['tiny-tuned', tuned, null],
    ]);
    expect(data[0].usage.completion_tokens).toBeGreaterThan(0);
  });

  it('streams the playground as Server-Sent Events side by side, one failing model not ending the other', async () => {
    const post = (path: string, body: unknown, signal?: AbortSignal) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    const events = async (res: Response) => {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      return (await res.text())
        .split('\n\n')
        .filter(Boolean)
        .map((raw) => {
          const [, event, data] = /^event: (\w+)\ndata: (.*)$/.exec(raw)!;
          const e = PlaygroundStreamEventSchema.parse(JSON.parse(data!));
          expect(e.type).toBe(event);
          return e;
        });
    };
    const { data: plain } = await json(await post('/api/v1/playground/compare', { models: ['tiny', 'tiny-tuned'], messages, ...greedy }));

    const side = await events(await post('/api/v1/playground/compare', { models: ['tiny', 'tiny-tuned'], messages, ...greedy, stream: true }));
    expect(side.at(-1)).toEqual({ type: 'end' });
    for (const index of [0, 1]) {
      const mine = side.filter((e) => 'index' in e && e.index === index);
      expect(mine.map((e) => e.type)).toEqual(['start', ...mine.slice(1, -1).map(() => 'delta'), 'done']);
      expect(mine[0]).toMatchObject({ model: plain[index].model, prompt_tokens: plain[index].usage.prompt_tokens });
      const text = mine.map((e) => (e.type === 'delta' ? e.text : '')).join('');
      expect(text).toBe(plain[index].text);
      expect(mine.at(-1)).toMatchObject({ type: 'done', index, model: plain[index].model, text, finish_reason: plain[index].finish_reason, usage: plain[index].usage, error: null });
    }
    // Both generate at once: neither model finishes before the other has started streaming. The
    // greedy answers above can be two tokens long, done in milliseconds, before a loaded CI machine
    // has sent the other request; 64 forced tokens leave it 64 decode steps to arrive in.
    const long = await events(await post('/api/v1/playground/compare', { models: ['tiny', 'tiny-tuned'], messages, temperature: 0, max_tokens: 64, ignore_eos: true, stream: true }));
    const firstDone = long.findIndex((e) => e.type === 'done');
    expect([0, 1].map((i) => long.findIndex((e) => e.type === 'delta' && e.index === i) < firstDone)).toEqual([true, true]);
    expect(long.filter((e) => e.type === 'done').map((e) => 'usage' in e && e.usage?.completion_tokens)).toEqual([64, 64]);

    const oneFails = await events(await post('/api/v1/playground/compare', { models: ['nope', 'tiny'], messages, ...greedy, stream: true }));
    expect(oneFails.filter((e) => 'index' in e && e.index === 0)).toEqual([
      expect.objectContaining({ type: 'error', model: 'nope', text: null, usage: null, error: expect.objectContaining({ code: 'MODEL_NOT_FOUND' }) }),
    ]);
    expect(oneFails.find((e) => e.type === 'done')).toMatchObject({ index: 1, model: 'tiny', text: plain[0].text, error: null });

    const chat = await events(await post('/api/v1/playground/chat', { model: 'tiny-tuned', messages, ...greedy, stream: true }));
    expect(chat.map((e) => e.type)).toEqual(['start', ...chat.slice(1, -2).map(() => 'delta'), 'done', 'end']);
    expect(chat.at(-2)).toMatchObject({ index: 0, text: plain[1].text });
    // ignore_eos reaches the gateway from the playground (the disconnect tests below run on it).
    const labelled = await post('/api/v1/playground/chat', { model: 'tiny-tuned', messages, ignore_eos: true, labels: ['yes', 'no'] });
    expect(labelled.status).toBe(400);
    expect((await json(labelled)).error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('ignore_eos') });
    const missing = await post('/api/v1/playground/chat', { model: 'nope', messages, stream: true });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('MODEL_NOT_FOUND');
  });

  it('stops a streamed playground generation when the client disconnects', async () => {
    const pooled = server.ctx.gateway.pool.get(server.ctx.store.getModel('tiny')!);
    const ac = new AbortController();
    const res = await fetch(`${server.url}/api/v1/playground/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // ignore_eos: the random model may sample its end token within the 12 deltas read below.
      body: JSON.stringify({ model: 'tiny', messages, max_tokens: 480, temperature: 1, stream: true, ignore_eos: true }),
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const deltas = () => seen.split('event: delta').length - 1;
    // A stream that ended early must fail the test, not spin: a finished reader answers at once,
    // and a loop of resolved awaits never lets a timer (the test's time-out included) fire.
    const readUntil = async (count: number) => {
      while (deltas() < count) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended after ${deltas()} deltas, before ${count}: ${seen.slice(-300)}`);
        seen += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(2);
    const t1 = performance.now();
    await readUntil(12);
    const perToken = (performance.now() - t1) / (deltas() - 2); // this machine's speed right now
    expect((await pooled.backend.health())!.running).toBe(1);
    ac.abort();
    const t0 = performance.now();
    expect(await healthUntil(pooled, idle, 200, 10)).toMatchObject({ running: 0, queue: 0 });
    // Stopped within a few tokens' time, not after the ~460 tokens it had left.
    expect(performance.now() - t0).toBeLessThan(Math.max(250, 40 * perToken));
    for (let i = 0; i < 50 && pooled.queue.stats.running > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pooled.queue.stats).toMatchObject({ running: 0, queued: 0 });
  });

  it('streams bytes in OpenAI framing and answers every error in OpenAI shape', async () => {
    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', prompt: 'hello', ...greedy, max_tokens: 3, stream: true, stream_options: { include_usage: true } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body).toMatch(/^(data: \{[^\n]*\}\n\n)+data: \[DONE\]\n\n$/);
    const chunks = body.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));
    expect(chunks.every((c) => c.object === 'text_completion' && c.id === chunks[0].id && c.id.startsWith('cmpl-'))).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3, total_tokens: chunks.at(-1).usage.prompt_tokens + 3 } });
    expect(chunks.at(-2).choices[0]).toEqual({ text: '', index: 0, logprobs: null, finish_reason: 'length' });

    const missing = await client.chat.completions.create({ model: 'nope', messages }).catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.error).toMatchObject({ type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
    const bad = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null, message: expect.stringContaining('not valid JSON') });
    const unsupported = await client.chat.completions.create({ model: 'tiny', messages, n: 2 }).catch((e) => e);
    expect(unsupported).toBeInstanceOf(OpenAI.BadRequestError);
    expect(unsupported.error).toMatchObject({ param: 'n', message: expect.stringContaining('only n=1') });
  });

  it('answers context overflow with 400 in OpenAI shape, with the token counts', async () => {
    const err = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 100_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded' });
    expect(err.error.message).toMatch(/100000/);
    expect(err.error.message).toMatch(/512/);
  });

  it('a client that leaves a plain (not streamed) answer midway stops it, and the server logs no error for it', async () => {
    const pooled = server.ctx.gateway.pool.get(server.ctx.store.getModel('tiny')!);
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      for (const path of ['/v1/chat/completions', '/api/v1/playground/chat']) {
        await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 1 }); // loaded (the idle time-out is 3 s here)
        const ac = new AbortController();
        const body = { model: 'tiny', messages, max_tokens: 480, temperature: 1, ignore_eos: true };
        const pending = fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: ac.signal }).catch((e) => e);
        expect(await healthUntil(pooled, (h) => Boolean(h?.running), 600, 10), path).toMatchObject({ running: 1 });
        ac.abort();
        expect(await pending).toBeInstanceOf(Error);
        expect(await healthUntil(pooled, idle, 200, 10), path).toMatchObject({ running: 0, queue: 0 });
      }
      await new Promise((r) => setTimeout(r, 100)); // the handler's answer to a closed socket
    } finally {
      stderr.mockRestore();
    }
    expect(written.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });

  it('stops the generation in the worker when the client disconnects, and frees the model when idle', async () => {
    const pooled = server.ctx.gateway.pool.get(server.ctx.store.getModel('tiny')!);
    const ac = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', messages, max_tokens: 480, temperature: 1, stream: true, ignore_eos: true }),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    expect((await pooled.backend.health())!.running).toBe(1);
    ac.abort();
    expect(await healthUntil(pooled, idle, 60, 50)).toMatchObject({ running: 0, queue: 0 });
    expect(pooled.queue.stats).toMatchObject({ running: 0, queued: 0 });

    // serveIdleSeconds is 3 here: with no requests the worker exits and frees its memory.
    for (let i = 0; i < 100 && pooled.backend.running; i++) await new Promise((r) => setTimeout(r, 100));
    expect(pooled.backend.running).toBe(false);
    // ...and the next request loads it again.
    const again = await client.chat.completions.create({ model: 'tiny', messages, ...greedy });
    expect(again.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('serves a torch deployment of the fine-tuned model with its own worker, answering like the on-demand model', async () => {
    const onDemand = (await client.chat.completions.create({ model: 'tiny-tuned', messages, ...greedy })).choices[0]!.message.content;
    const res = await fetch(`${server.url}/api/v1/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-tuned', backend: 'torch', name: 'tuned-prod', max_concurrency: 1, queue_size: 0 }),
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ backend: 'torch', adapter_id: expect.any(String), max_concurrency: 1, queue_size: 0 });
    const viaDeployment = await client.chat.completions.create({ model: 'tuned-prod', messages, ...greedy });
    expect(viaDeployment.model).toBe('tuned-prod');
    expect(viaDeployment.choices[0]!.message.content).toBe(onDemand);
    expect((await json(await fetch(`${server.url}/api/v1/deployments/tuned-prod`))).status).toBe('ready');

    // One slot, no waiting room: a second request while one runs is refused with 429 + Retry-After.
    const ac = new AbortController();
    const running = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tuned-prod', messages, max_tokens: 480, temperature: 1, stream: true }),
      signal: ac.signal,
    });
    await running.body!.getReader().read();
    const refused = await client.chat.completions.create({ model: 'tuned-prod', messages, ...greedy }).catch((e) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    ac.abort();
    await fetch(`${server.url}/api/v1/deployments/tuned-prod`, { method: 'DELETE' });
  });

  it('serves a deployment in the dtype it names (bfloat16 on the CPU), and says so', async () => {
    const res = await fetch(`${server.url}/api/v1/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', backend: 'torch', name: 'tiny-bf16', dtype: 'bfloat16' }),
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ backend: 'torch', dtype: 'bfloat16' });
    const answer = await client.chat.completions.create({ model: 'tiny-bf16', messages, max_tokens: 4, temperature: 0, ignore_eos: true } as never);
    expect(answer.usage).toMatchObject({ completion_tokens: 4 });
    const spec = JSON.parse(readFileSync(join(server.ctx.config.home, 'deployments', created.id, 'spec.json'), 'utf8'));
    expect(spec).toMatchObject({ command: 'serve', dtype: 'bfloat16' });
    await fetch(`${server.url}/api/v1/deployments/tiny-bf16`, { method: 'DELETE' });
  });
});
