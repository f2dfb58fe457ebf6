import { dirname } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { json, tempHome, testConfig, testServer } from '../../../../test-support/server.ts';
import type { RunningServer } from '../start-server.ts';

const gguf = demoGgufPath();

/**
 * The OpenAI-compatible API over real HTTP on 127.0.0.1, served by llama.cpp from the demo
 * model's GGUF, called with the official `openai` client unchanged.
 */
describe.skipIf(!gguf)('/v1 on the llamacpp backend (demo GGUF)', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let client: OpenAI;
  const question = [{ role: 'user' as const, content: 'Name the capital of France.' }];

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const deploy = async (body: Record<string, unknown>) => {
    const res = await api('/api/v1/deployments', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const d = await json(res);
    for (let i = 0; i < 300 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      Object.assign(d, await json(await api(`/api/v1/deployments/${d.id}`)));
    }
    expect(d.status).toBe('ready');
    return d;
  };

  beforeAll(async () => {
    // One llama.cpp thread: test files run in parallel on 2 cores, and spinning threads that
    // compete for them decode ~20x slower than one thread alone.
    // The demo GGUF sits in the venv: its folder is added to the model roots, as an operator would.
    server = await testServer(home, { llamaThreads: 1, modelRoots: [...testConfig(home).modelRoots, dirname(gguf!)] });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    // One sequence: the queue tests below fill its one slot.
    await deploy({ name: 'smol', model: gguf, backend: 'llamacpp', max_concurrency: 1, queue_size: 1, timeout_s: 60 });
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('answers a chat with the official client, plain and streamed, with the same greedy text', async () => {
    const plain = await client.chat.completions.create({ model: 'smol', messages: question, temperature: 0, max_tokens: 12 });
    expect(plain.object).toBe('chat.completion');
    expect(plain.choices[0]!.message.role).toBe('assistant');
    expect(plain.choices[0]!.message.content).toMatch(/Paris/);
    expect(plain.choices[0]!.finish_reason).toBe('stop');
    expect(plain.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(plain.usage!.total_tokens).toBe(plain.usage!.prompt_tokens + plain.usage!.completion_tokens);

    const stream = await client.chat.completions.create({
      model: 'smol',
      messages: question,
      temperature: 0,
      max_tokens: 12,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual(plain.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('decodes concurrent requests together, each streaming at once and answering its own prompt', async () => {
    await deploy({ name: 'batched', model: gguf, backend: 'llamacpp', max_concurrency: 4 });
    const prompts = ['Name the capital of France.', 'Name three colors.', 'What is 12 times 12?', 'Write a haiku about rain.'];
    // What each answer must be about. Not "equal to its answer alone": llama.cpp's kernels round
    // differently with the batch's shape, so at temperature 0 a batched answer may take another
    // near-tied token (llama.cpp issue 7052, as with llama-server's parallel slots). Mixed-up
    // sequences (an answer continuing another prompt, seen with out-of-order batches) fail here.
    // Each pattern takes the words a 135M model uses for its prompt at any near-tie ("12 times 12
    // is equal to 12" alone; "Twelve multiplied by..." in a batch under CI load).
    const subjects = [/Paris|France/, /red|blue|green|yellow|colou?r/i, /12|144|twelve|times|multipl|product/i, /rain/i];
    const ask = (content: string) => client.chat.completions.create({ model: 'batched', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 12 });
    const alone: string[] = [];
    for (const p of prompts) alone.push((await ask(p)).choices[0]!.message.content!);

    const together = await Promise.all(
      prompts.map(async (content) => {
        const stream = await client.chat.completions.create({ model: 'batched', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 12, stream: true });
        let text = '';
        let firstAt = 0;
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta.content;
          if (delta) {
            firstAt ||= performance.now();
            text += delta;
          }
        }
        return { text, firstAt, endAt: performance.now() };
      }),
    );
    // Matched with the texts, so that a failure shows what the model said.
    const onSubject = (texts: string[]) => texts.map((text, i) => ({ text, onSubject: subjects[i]!.test(text) }));
    const allOn = (texts: string[]) => texts.map((text) => ({ text, onSubject: true }));
    expect(onSubject(alone)).toEqual(allOn(alone));
    const texts = together.map((t) => t.text);
    expect(onSubject(texts)).toEqual(allOn(texts));
    expect(texts.slice(1).filter((t) => /Paris/.test(t))).toEqual([]);
    expect(texts.filter((t, i) => i !== 3 && /\brain\b/i.test(t))).toEqual([]);
    // One at a time, the last request would get its first token only after the others ended.
    const firstEnd = Math.min(...together.map((t) => t.endAt));
    expect(together.map((t) => t.firstAt < firstEnd)).toEqual([true, true, true, true]);
    await api('/api/v1/deployments/batched', { method: 'DELETE' });
  });

  it('streams bytes in OpenAI framing: data lines, blank-line separated, [DONE] last', async () => {
    const res = await api('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'smol', messages: question, temperature: 0, max_tokens: 4, stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = body.split('\n\n').filter(Boolean);
    expect(events.every((e) => /^data: /.test(e) && !e.includes('\n'))).toBe(true);
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    const ids = new Set(parsed.map((p) => p.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^chatcmpl-/);
    for (const p of parsed) {
      expect(p).toMatchObject({ object: 'chat.completion.chunk', model: 'smol', created: expect.any(Number) });
      expect('usage' in p).toBe(false); // only with stream_options.include_usage
    }
    expect(parsed.at(-1).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'length' });
  });

  it('continues raw text on /v1/completions and lists the deployment in /v1/models', async () => {
    const c = await client.completions.create({ model: 'smol', prompt: 'The capital of France is', max_tokens: 3, temperature: 0 });
    expect(c.object).toBe('text_completion');
    expect(c.choices[0]!.text).toMatch(/Paris/);
    expect(c.choices[0]!.finish_reason).toBe('length');
    // "The", " capital", " of", " France", " is": SmolLM2's file asks for no BOS, so none is counted.
    expect(c.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });
    const models = await client.models.list();
    expect(models.data.find((m) => m.id === 'smol')).toMatchObject({ object: 'model', owned_by: 'whetstone', kind: 'deployment', backend: 'llamacpp' });
  });

  it('runs to max_tokens with ignore_eos, chat and text alike, and refuses ignore_eos with labels', async () => {
    const body = { model: 'smol', messages: question, temperature: 0, max_tokens: 24 };
    const ends = await client.chat.completions.create(body);
    expect(ends.choices[0]!.finish_reason).toBe('stop'); // the model ends its answer by itself...
    expect(ends.usage!.completion_tokens).toBeLessThan(24);
    const chat = await json(await api('/v1/chat/completions', { method: 'POST', body: JSON.stringify({ ...body, ignore_eos: true }) }));
    expect(chat.choices[0].finish_reason).toBe('length'); // ...and with ignore_eos runs on to max_tokens
    expect(chat.usage.completion_tokens).toBe(24);
    expect(chat.choices[0].message.content.startsWith(ends.choices[0]!.message.content!)).toBe(true); // greedy: the same answer, then more

    const text = await json(await api('/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'smol', prompt: 'The capital of France is Paris.', temperature: 0, max_tokens: 16, ignore_eos: true }) }));
    expect(text.choices[0].finish_reason).toBe('length');
    expect(text.usage.completion_tokens).toBe(16);

    const labelled = await api('/v1/chat/completions', { method: 'POST', body: JSON.stringify({ ...body, ignore_eos: true, labels: ['yes', 'no'] }) });
    expect(labelled.status).toBe(400);
    expect((await json(labelled)).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request', message: expect.stringContaining('ignore_eos') });
  });

  it('answers errors in OpenAI shape: unknown model 404, context overflow 400 with counts, malformed JSON 400', async () => {
    const missing = await client.chat.completions.create({ model: 'nope', messages: question }).catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.error).toMatchObject({ type: 'invalid_request_error', param: 'model', code: 'model_not_found', message: expect.stringContaining('nope') });

    const overflow = await client.chat.completions.create({ model: 'smol', messages: question, max_tokens: 9000 }).catch((e) => e);
    expect(overflow).toBeInstanceOf(OpenAI.BadRequestError);
    expect(overflow.error).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
    expect(overflow.error.message).toMatch(/8192 tokens.*\d+ in the prompt, 9000 for the completion/);

    const bad = await api('/v1/chat/completions', { method: 'POST', body: '{"model": "smol", ' });
    expect(bad.status).toBe(400);
    const badBody = await json(bad);
    expect(Object.keys(badBody.error).sort()).toEqual(['code', 'hint', 'message', 'param', 'type']);
    expect(badBody.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });

    const invalid = await json(await api('/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'smol', messages: [], temperature: 5 }) }));
    expect(invalid.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request', param: 'temperature' });
    expect(invalid.error.message).toMatch(/temperature.*messages|messages.*temperature/); // every bad field at once

    const route = await api('/v1/nothing');
    expect(route.status).toBe(404);
    expect((await json(route)).error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    // The native API keeps Whetstone's shape.
    expect((await json(await api('/api/v1/deployments/nope'))).error).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND', hint: expect.any(String) });
  });

  it('answers in the playground, alone and side by side, an unknown model failing only its own side', async () => {
    const chat = await api('/api/v1/playground/chat', { method: 'POST', body: JSON.stringify({ model: 'smol', messages: question, temperature: 0, max_tokens: 12 }) });
    expect(chat.status).toBe(200);
    const one = await json(chat);
    expect(one).toMatchObject({ model: 'smol', text: expect.stringMatching(/Paris/), finish_reason: 'stop', error: null });
    expect(one.usage.completion_tokens).toBeGreaterThan(0);
    expect(one.latency_ms).toBeGreaterThan(0);
    expect(one.tokens_per_second).toBeGreaterThan(0);

    const compare = await json(
      await api('/api/v1/playground/compare', { method: 'POST', body: JSON.stringify({ models: ['smol', 'nope'], messages: question, temperature: 0, max_tokens: 12 }) }),
    );
    expect(compare.data).toHaveLength(2);
    expect(compare.data[0]).toMatchObject({ model: 'smol', text: one.text, error: null });
    expect(compare.data[1]).toMatchObject({ model: 'nope', text: null, error: { code: 'MODEL_NOT_FOUND' } });
    const missing = await api('/api/v1/playground/chat', { method: 'POST', body: JSON.stringify({ model: 'nope', messages: question }) });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('MODEL_NOT_FOUND');
  });

  it('cancels a request that outlives the deployment timeout: 504 plain, an in-band error when streaming', async () => {
    await deploy({ name: 'hasty', model: gguf, backend: 'llamacpp', timeout_s: 1 });
    // Greedy raw continuation: no end-of-text in sight, so it would run to max_tokens (far past
    // the second) unless stopped. A sampled chat story could end on EOS in time, and did in CI.
    const body = { model: 'hasty', prompt: 'Once upon a time, in a land far away,', max_tokens: 4000, temperature: 0 };
    const plain = await api('/v1/completions', { method: 'POST', body: JSON.stringify(body) });
    expect(plain.status).toBe(504);
    expect((await json(plain)).error).toMatchObject({ type: 'server_error', code: 'timeout', message: expect.stringContaining('timeout of 1 s') });

    const t0 = Date.now();
    const streamed = await (await api('/v1/completions', { method: 'POST', body: JSON.stringify({ ...body, stream: true }) })).text();
    expect(Date.now() - t0).toBeLessThan(15_000); // 4000 tokens would take far longer
    const events = streamed.split('\n\n').filter(Boolean);
    expect(events.length).toBeGreaterThan(3); // text came before the cut
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events.at(-2)!.slice(6)).error).toMatchObject({ code: 'timeout', type: 'server_error' });

    const sdk = await (async () => {
      const s = await client.completions.create({ ...body, stream: true });
      for await (const _ of s);
    })().catch((e) => e);
    expect(sdk).toBeInstanceOf(OpenAI.APIError);
    expect(String((sdk as Error).message)).toMatch(/timeout/);
    await api('/api/v1/deployments/hasty', { method: 'DELETE' });
  });

  it('answers 429 with Retry-After when the queue is full, and a closed connection frees the slot at once', async () => {
    // Greedy raw continuation: no end-of-text in sight, so it runs until max_tokens unless stopped.
    const long = JSON.stringify({ model: 'smol', prompt: 'Once upon a time, in a land far away,', max_tokens: 2000, temperature: 0, stream: true });
    const first = new AbortController();
    const running = await api('/v1/completions', { method: 'POST', body: long, signal: first.signal });
    const reader = running.body!.getReader();
    await reader.read(); // generating now: the one slot is taken
    const tFirst = Date.now();
    for (let i = 0; i < 4; i++) await reader.read();
    const perToken = (Date.now() - tFirst) / 4; // this machine's speed right now (it may be busy)
    const second = new AbortController();
    const queued = api('/v1/completions', { method: 'POST', body: long, signal: second.signal }).catch(() => null);
    let dep = await json(await api('/api/v1/deployments/smol'));
    for (let i = 0; i < 50 && dep.queue.queued < 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
      dep = await json(await api('/api/v1/deployments/smol'));
    }
    expect(dep.queue).toEqual({ running: 1, queued: 1 });

    const refused = await api('/v1/completions', { method: 'POST', body: long });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await json(refused)).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });

    // Both clients leave: the running generation stops and the waiting one gives up its place.
    second.abort();
    first.abort();
    const t0 = Date.now();
    for (let i = 0; i < 1200; i++) {
      dep = await json(await api('/api/v1/deployments/smol'));
      if (dep.queue.running === 0 && dep.queue.queued === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(dep.queue).toEqual({ running: 0, queued: 0 });
    // Stopped within a few tokens' time, not after the ~1990 tokens it had left.
    expect(Date.now() - t0).toBeLessThan(Math.max(2000, 20 * perToken));
    await queued;
    const after = await client.chat.completions.create({ model: 'smol', messages: question, temperature: 0, max_tokens: 3 });
    expect(after.choices[0]!.message.content).toBeTruthy();
  });
});
