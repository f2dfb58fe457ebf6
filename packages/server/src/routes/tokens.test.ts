import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';

// The token calculator on the real tiny model, checked against a count done another way: the
// tokenizer library called directly on the text, and the chat rendered by hand in ChatML.
describe('POST /api/v1/tokens', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  const modelDir = ensureTinyModel();
  const raw = new Tokenizer(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')));
  const post = async (body: unknown) => {
    const res = await app.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: await json(res) };
  };

  beforeAll(async () => {
    const m = await app.request('/api/v1/models', { method: 'POST', body: JSON.stringify({ path: modelDir, name: 'tiny' }), headers: { 'content-type': 'application/json' } });
    expect(m.status).toBe(201);
  });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('counts a text with the model\'s own tokenizer, by model name', async () => {
    const text = 'The sky is blue. 天空是蓝色的。 🙂';
    const r = await post({ model: 'tiny', text, return_tokens: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const expected = raw.encode(text, { add_special_tokens: false }).ids;
    expect(r.body.count).toBe(expected.length);
    expect(r.body.ids).toEqual(expected);
    expect(r.body.tokens).toHaveLength(expected.length);
    expect(r.body.characters).toBe([...text].length);
    expect(r.body.model.name).toBe('tiny');
  });

  it('counts a chat as the chat template renders it', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What colour is the sky?' },
      { role: 'assistant', content: 'The sky is blue.' },
    ];
    const chatml = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
    const r = await post({ model: 'tiny', messages });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.chat_template).toBe(true);
    expect(r.body.count).toBe(raw.encode(chatml, { add_special_tokens: false }).ids.length);
    const g = await post({ model: 'tiny', messages: messages.slice(0, 2), add_generation_prompt: true });
    expect(g.body.count).toBe(raw.encode(chatml.split('<|im_start|>assistant')[0] + '<|im_start|>assistant\n', { add_special_tokens: false }).ids.length);
  });

  it('refuses an unknown model and a body with both or neither of text and messages', async () => {
    const m = await post({ model: 'ghost', text: 'hi' });
    expect(m.status).toBe(404);
    expect(m.body.error).toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'model' });
    const both = await post({ model: 'tiny', text: 'hi', messages: [{ role: 'user', content: 'hi' }] });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('INVALID_REQUEST');
    expect((await post({ model: 'tiny' })).status).toBe(400);
    expect((await post({ model: 'tiny', messages: [{ role: 'robot', content: 'x' }] })).status).toBe(400);
  });
});
