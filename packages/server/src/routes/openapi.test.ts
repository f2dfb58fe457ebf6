import { afterAll, describe, expect, it } from 'vitest';
import { QaDraftRequestSchema } from '@whetstone/core';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

/** `GET /api/v1/models/:id` → `GET /api/v1/models/{id}`; a constrained param (`:id{.+}`) too. */
const asOpenApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

// The document is kept by hand (openapi.ts's ROUTES); this holds it to the routes the real app
// registers, both ways, so a new route without docs or a doc without a route fails here by name.
describe('GET /api/v1/openapi.json', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('documents exactly the native routes the app registers, method by method', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await json(res);
    const documented = new Set(Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    // Middleware (app.use) registers method ALL. Of /v1 (OpenAI's API), its fine-tuning part (files
    // and jobs) is documented here; chat, completions and models are OpenAI's own documentation.
    const isDocumented = (path: string) => path.startsWith('/api/v1/') || /^\/v1\/(files|fine_tuning)(\/|$)/.test(path);
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL' && isDocumented(r.path)).map((r) => `${r.method} ${asOpenApiPath(r.path)}`));
    const undocumented = [...registered].filter((r) => !documented.has(r)).sort();
    const noSuchRoute = [...documented].filter((r) => !registered.has(r)).sort();
    expect({ undocumented, noSuchRoute }).toEqual({ undocumented: [], noSuchRoute: [] });
    expect(registered.size).toBeGreaterThan(40);
  });

  it("documents OpenAI's fine-tuning API with OpenAI's limits and error body", async () => {
    const doc = await json(await app.request('/api/v1/openapi.json'));
    const create = doc.paths['/v1/fine_tuning/jobs'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['model', 'training_file']);
    expect(JSON.stringify(body.properties.method)).toMatch(/"n_epochs":\{"anyOf":\[\{"type":"string","const":"auto"\},\{"type":"integer","minimum":1,"maximum":50/);
    expect(body.properties.whetstone.properties.tuning).toBeDefined();
    expect(create.responses['400'].content['application/json'].schema.properties.error.required).toEqual(['message', 'type', 'param', 'code']);
    const upload = doc.paths['/v1/files'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.required).toEqual(['file', 'purpose']);
    expect(Object.keys(doc.paths['/v1/fine_tuning/jobs/{id}/events'].get.responses)).toContain('404');
  });

  it('lists the fields Whetstone adds to /v1 bodies: labels constrain the answer to a label set', async () => {
    const doc = await json(await app.request('/api/v1/openapi.json'));
    for (const path of ['/v1/chat/completions', '/v1/completions']) {
      const labels = doc['x-whetstone-openai-extensions'][path].post.requestBody.labels;
      expect(labels.description).toMatch(/extra_body/);
      expect(JSON.stringify(labels)).toMatch(/"maxItems":200/);
      expect(JSON.stringify(labels)).toMatch(/"const":"model"/);
    }
    expect(doc.paths['/api/v1/deployments'].post.requestBody.content['application/json'].schema.properties.labels).toBeDefined();
  });

  it('describes the rules the handlers apply: exactly one of path/hub_id, dataset/datasets', async () => {
    const doc = await json(await app.request('/api/v1/openapi.json'));
    const body = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    expect(body('/api/v1/models').oneOf).toEqual([{ required: ['path'] }, { required: ['hub_id'] }]);
    expect(body('/api/v1/jobs').oneOf).toEqual([{ required: ['dataset'] }, { required: ['datasets'] }]);
    expect(body('/api/v1/tokens').oneOf).toEqual([{ required: ['text'] }, { required: ['messages'] }]);
    // a body every field of which has a default may be left out, as the handler allows
    expect(doc.paths['/api/v1/keys'].post.requestBody.required).toBe(false);
    expect(doc.paths['/api/v1/jobs'].post.requestBody.required).toBe(true);
  });

  it('documents the query parameters, the upload fields and the error answers', async () => {
    const doc = await json(await app.request('/api/v1/openapi.json'));
    const stats = doc.paths['/api/v1/datasets/{id}/stats'].get;
    expect(stats.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:model', 'query:max_seq_len', 'query:wait_ms']);
    expect(Object.keys(stats.responses)).toEqual(['200', '202', '400', '401', '403', '404', 'default']);
    const upload = doc.paths['/api/v1/datasets'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.required).toEqual(['file']);
    expect(Object.keys(upload.properties)).toEqual(['file', 'format', 'keep_good_rows', 'name', 'model']);
    const drafts = doc.paths['/api/v1/datasets/qa-drafts'].post.requestBody.content['multipart/form-data'].schema;
    expect(Object.keys(drafts.properties)).toEqual(['file', ...Object.keys(QaDraftRequestSchema.shape)]);
    expect(doc.paths['/api/v1/models'].post.responses['502'].content['application/json'].schema.properties.error).toBeDefined();
  });
});
