import { createServer } from 'node:net';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

describe('models API', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let tiny: string;
  beforeAll(() => {
    tiny = ensureTinyModel();
  });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });
  const post = (body: unknown) => app.request('/api/v1/models', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('registers a local folder and reads its architecture, size, context and template', async () => {
    const res = await post({ path: tiny, name: 'tiny' });
    expect(res.status).toBe(201);
    const m = await json(res);
    expect(m).toMatchObject({ name: 'tiny', source: 'local', kind: 'base', architecture: 'LlamaForCausalLM', model_type: 'llama', has_chat_template: true });
    expect(m.params).toBeGreaterThan(1000);
    expect(m.context_length).toBeGreaterThan(0);
    const byName = await json(await app.request('/api/v1/models/tiny'));
    expect(byName.id).toBe(m.id);
    const list = await json(await app.request('/api/v1/models'));
    expect(list.data.map((x: { id: string }) => x.id)).toContain(m.id);
    const template = await json(await app.request('/api/v1/models/tiny/chat-template'));
    expect(template).toMatchObject({ model_id: m.id, template: expect.stringContaining('<|im_start|>') });
    expect((await json(await app.request('/api/v1/models/nope/chat-template'))).error.code).toBe('MODEL_NOT_FOUND');
  });

  it('refuses a duplicate name, a missing folder, a folder that is not a model, and a relative path', async () => {
    expect((await json(await post({ path: tiny, name: 'tiny' }))).error.code).toBe('CONFLICT');
    const missing = await post({ path: join(home, 'nonexistent', 'model') });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error).toMatchObject({ code: 'MODEL_PATH_INVALID', message: expect.stringContaining('/nonexistent/model') });
    const empty = join(home, 'not-a-model');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'readme.txt'), 'hi');
    const bad = await json(await post({ path: empty }));
    expect(bad.error.code).toBe('MODEL_PATH_INVALID');
    expect(bad.error.message).toMatch(/config\.json/);
    expect((await json(await post({ path: 'relative/dir' }))).error.code).toBe('MODEL_PATH_INVALID');
    const both = await post({ path: tiny, hub_id: 'a/b' });
    expect(both.status).toBe(400);
    expect((await json(both)).error.hint).toBeTruthy();
  });

  it('refuses a traversal path, a folder outside WHET_MODEL_ROOTS and a symlink out of a root, registering nothing', async () => {
    // A valid copy of the model beside the state folder, in a sibling whose name starts with the
    // state folder's: only the root check (with its trailing separator) can refuse it.
    const outside = `${home}-outside`;
    cpSync(tiny, outside, { recursive: true });
    symlinkSync(outside, join(home, 'linked-model'));
    try {
      const cases: [string, RegExp][] = [
        [`${home}/../${outside.split('/').pop()}`, /holds a "\.\." segment/],
        [`${home}/../../etc`, /holds a "\.\." segment/],
        [outside, /is outside the model roots/],
        [join(home, 'linked-model'), /resolves to ".*-outside", outside the model roots/],
      ];
      for (const [path, message] of cases) {
        const res = await post({ path, name: 'sneaky' });
        const { error } = await json(res);
        expect({ path, status: res.status, code: error.code }).toEqual({ path, status: 403, code: 'PATH_NOT_ALLOWED' });
        expect(error.message).toMatch(message);
        expect(error.message).toContain(home); // names the allowed roots
        expect(error.hint).toMatch(/WHET_MODEL_ROOTS/);
      }
      expect(ctx.store.getModel('sneaky')).toBeUndefined();
      // The same files inside a root register.
      const inside = join(home, 'models', 'tiny-copy');
      cpSync(tiny, inside, { recursive: true });
      const ok = await post({ path: inside, name: 'tiny-copy' });
      expect(ok.status).toBe(201);
      expect((await json(ok)).path).toBe(inside);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('pulling from the hub offline fails with a clear error and leaves nothing behind', async () => {
    // A port nobody listens on stands in for an unreachable hub.
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const before = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = `http://127.0.0.1:${port}`;
    try {
      const res = await post({ hub_id: 'HuggingFaceTB/SmolLM2-135M-Instruct' });
      expect(res.status).toBe(502);
      const body = await json(res);
      expect(body.error.code).toBe('MODEL_DOWNLOAD_FAILED');
      expect(body.error.message).toMatch(/ECONNREFUSED|cannot reach/);
      expect(body.error.hint).toMatch(/offline|network/i);
      expect(ctx.store.getModel('HuggingFaceTB/SmolLM2-135M-Instruct')).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = before;
    }
  });

  it('answers unknown models and routes with 404 and a hint', async () => {
    const res = await app.request('/api/v1/models/nope');
    expect(res.status).toBe(404);
    expect((await json(res)).error).toMatchObject({ code: 'MODEL_NOT_FOUND', hint: expect.any(String) });
    expect((await app.request('/api/v1/nothing')).status).toBe(404);
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const doc = await json(await app.request('/api/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/jobs'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['model', 'dataset', 'tuning', 'hyperparameters']));
    expect(doc.paths['/api/v1/jobs/{id}/events'].get).toBeDefined();
  });
});
