import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '@whetstone/core';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testServer } from '../../../../test-support/server.ts';
import type { RunningServer } from '../start-server.ts';

const LABELS = ['pos', 'positive', 'negative']; // "pos" is a prefix of "positive"
const PROMPTS = ['I loved it.', 'Awful service.', 'It was fine, I guess.', '中国的首都是哪里？', 'Would not buy again.'];
const chat = (text: string) => [{ role: 'user' as const, content: `Review: ${text}\nSentiment?` }];

/**
 * Answers constrained to a label set over real HTTP on 127.0.0.1, with the real worker on the
 * tiny random model (which, unconstrained, writes anything): a torch deployment's label
 * default, a request's own list, `[]` to turn it off, the model's remembered set, bad lists,
 * the playground, and an evaluation column with constrain_to_labels.
 */
describe('labels: answers constrained to a label set (torch, tiny model)', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let client: OpenAI;
  const api = (path: string, body?: unknown) =>
    fetch(`${server.url}/api/v1${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const v1 = (path: string, body: unknown) => fetch(`${server.url}/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const deploy = async (body: Record<string, unknown>) => {
    const res = await api('/deployments', body);
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    const d = await json(res);
    for (let i = 0; i < 600 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      Object.assign(d, await json(await api(`/deployments/${d.id}`)));
    }
    expect(d.status).toBe('ready');
    return d;
  };
  const answer = async (model: string, content: string, extra: Record<string, unknown> = {}, temperature = 0) =>
    (await client.chat.completions.create({ model, messages: chat(content), temperature, max_tokens: 12, seed: 1, ...extra } as never)).choices[0]!.message.content;

  beforeAll(async () => {
    server = await testServer(home);
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    const tiny = await json(await api('/models', { path: ensureTinyModel(), name: 'tiny' }));
    // A model that remembers the label set of its labelling data (what data analysis records on it).
    const labelSet = { labels: [{ label: 'yes', count: 3, share: 0.6 }, { label: 'no', count: 2, share: 0.4 }], covered_share: 1, other_rows: 0 };
    server.ctx.store.insertModel({ ...tiny, id: 'mdl_labelled', name: 'tiny-labelled', created_at: new Date().toISOString(), label_set: labelSet } as Model);
    await deploy({ name: 'sentiment', model: 'tiny', backend: 'torch', labels: LABELS, max_concurrency: 4 });
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it("a deployment's label default makes every answer a label, greedy and sampled, chat and completions", async () => {
    const greedy = await Promise.all(PROMPTS.map((p) => answer('sentiment', p)));
    expect(greedy.filter((a) => !LABELS.includes(a!))).toEqual([]);
    const sampled = await Promise.all(PROMPTS.map((p) => answer('sentiment', p, {}, 1)));
    expect(sampled.filter((a) => !LABELS.includes(a!))).toEqual([]);
    const raw = await client.completions.create({ model: 'sentiment', prompt: 'Review: great. Sentiment:', temperature: 0, max_tokens: 12 });
    expect(LABELS).toContain(raw.choices[0]!.text);
    expect(raw.choices[0]!.finish_reason).toBe('stop');
  });

  it('a request overrides the default with its own list, or turns it off with []', async () => {
    const own = await Promise.all(PROMPTS.map((p) => answer('sentiment', p, { labels: ['yes', 'no'] })));
    expect(own.filter((a) => !['yes', 'no'].includes(a!))).toEqual([]);
    const free = await Promise.all(PROMPTS.map((p) => answer('sentiment', p, { labels: [] })));
    expect(free.filter((a) => !LABELS.includes(a!)).length).toBeGreaterThan(0);
    // The same model called by name has no default: free text, unless the request asks.
    expect(LABELS).not.toContain(await answer('tiny', PROMPTS[0]!));
    expect(['a', 'b']).toContain(await answer('tiny', PROMPTS[0]!, { labels: ['a', 'b'] }));
  });

  it('bad label lists get a 400 naming the field, with a hint', async () => {
    const cases: [unknown, RegExp][] = [
      [[''], /labels\.0: a label cannot be an empty string/],
      [Array.from({ length: 201 }, (_, i) => `l${i}`), /labels: give at most 200 labels \(got 201\)/],
      ['everything', /labels: give a list of non-empty strings, or "model"/],
    ];
    for (const [labels, message] of cases) {
      const res = await v1('/chat/completions', { model: 'sentiment', messages: chat('x'), labels });
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error.message).toMatch(message);
      expect(error.param).toMatch(/^labels/);
      expect(error.hint).toMatch(/list of non-empty strings \(at most 200\)/);
    }
    const empty = await api('/deployments', { model: 'tiny', labels: [] });
    expect(empty.status).toBe(400);
    expect((await json(empty)).error.message).toMatch(/labels: give at least one label/);
    const none = await api('/deployments', { model: 'tiny', labels: 'model' });
    expect(none.status).toBe(400);
    expect((await json(none)).error).toMatchObject({ message: 'labels "model": the model "tiny" remembers no label set', hint: expect.stringMatching(/as a list instead/) });
    const onRequest = await v1('/chat/completions', { model: 'tiny', messages: chat('x'), labels: 'model' });
    expect(onRequest.status).toBe(400);
  });

  it('labels "model" uses the label set the model remembers; the playground passes labels too', async () => {
    const d = await deploy({ name: 'remembered', model: 'tiny-labelled', labels: 'model', max_concurrency: 2 });
    expect(d.labels).toEqual(['yes', 'no']);
    for (const p of PROMPTS.slice(0, 3)) expect(['yes', 'no']).toContain(await answer('remembered', p));
    const res = await api('/playground/chat', { model: 'sentiment', messages: chat('ok'), labels: ['up', 'down'], temperature: 0 });
    expect(res.status).toBe(200);
    expect(['up', 'down']).toContain((await json(res)).text);
  });

  it('an evaluation column with constrain_to_labels answers only labels: 0 invalid', async () => {
    const rows = PROMPTS.map((p, i) => ({ messages: [...chat(p), { role: 'assistant', content: LABELS[i % 3] }] }));
    const form = new FormData();
    form.set('file', new Blob([rows.map((r) => JSON.stringify(r)).join('\n')]), 'sentiment.jsonl');
    const dataset = await json(await fetch(`${server.url}/api/v1/datasets`, { method: 'POST', body: form }));
    const refused = await api('/evaluations', { dataset_id: dataset.id, models: [{ kind: 'model', model_id: 'tiny', constrain_to_labels: true }] });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.message).toMatch(/models\.0\.constrain_to_labels: constrain_to_labels needs the evaluation's "labels"/);

    const res = await api('/evaluations', {
      dataset_id: dataset.id,
      labels: LABELS,
      generation: { max_tokens: 8 },
      models: [{ kind: 'model', model_id: 'tiny', label: 'constrained', constrain_to_labels: true }, { kind: 'model', model_id: 'tiny', label: 'free' }],
    });
    expect(res.status).toBe(201);
    let e = await json(res);
    for (let i = 0; i < 1200 && (e.status === 'queued' || e.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      e = await json(await api(`/evaluations/${e.id}`));
    }
    expect(e.status).toBe('succeeded');
    expect(e.models[0].label_accuracy).toMatchObject({ total: PROMPTS.length, invalid: 0 });
    expect(e.models[1].label_accuracy.invalid).toBeGreaterThan(0); // the same model, unconstrained
  });
});
