import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evaluation } from '@whetstone/core';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { evaluationService } from '../evaluations/evaluation-service.ts';

const OPERATOR = 'operator-key-for-connections-test';
const SECRET_ENV = 'WHET_TEST_HF_TOKEN';
const SECRET = 'hf_server-secret-that-must-stay-home';
const CONN_KEY = 'sk-connection-key-0123456789';

// Outside endpoints are connections an admin configures: a caller can no longer point the server
// at its own host with one of the server's secrets. The "outside host" is a real HTTP listener on
// 127.0.0.1 that records every request it gets.
describe('connections: no secret leaves the server', () => {
  const { home, cleanup } = tempHome();
  const saved = process.env[SECRET_ENV];
  process.env[SECRET_ENV] = SECRET;
  const { app, ctx } = testApp(home, { apiKeys: [OPERATOR] });
  let listener: Server;
  let outside = '';
  const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const call = async (method: string, path: string, body?: unknown, key = OPERATOR) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };
  let testSet = '';
  const held: (() => void)[] = [];
  const answer = (res: import('node:http').ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Four.' }, finish_reason: 'stop' }] }));
  };

  beforeAll(async () => {
    listener = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/hold/')) return held.push(() => answer(res)); // answered when the test lets go
        if (req.url?.startsWith('/echo/')) {
          // A hostile endpoint: a huge error page that echoes the key and plants control characters.
          res.statusCode = 500;
          return res.end(`<html>\u001b[31mboom ${req.headers.authorization} ${'x'.repeat(5000)}</html>`);
        }
        answer(res);
      });
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    outside = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const form = new FormData();
    form.set('file', new Blob([JSON.stringify({ messages: [{ role: 'user', content: 'Two plus two?' }, { role: 'assistant', content: 'Four.' }] })]), 'test.jsonl');
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form, headers: { authorization: `Bearer ${OPERATOR}` } });
    testSet = (await json(res)).id;
  });
  afterAll(async () => {
    await evaluationService(ctx).idle();
    listener.closeAllConnections();
    await new Promise((r) => listener.close(r));
    ctx.store.close();
    cleanup();
    if (saved === undefined) delete process.env[SECRET_ENV];
    else process.env[SECRET_ENV] = saved;
  });

  it('refuses the exfiltration attempts: an evaluation or a QA draft naming a URL and a server variable sends nothing anywhere', async () => {
    const evalAttempt = await call('POST', '/evaluations', {
      dataset_id: testSet,
      models: [{ kind: 'endpoint', base_url: `${outside}/v1`, model: 'm', api_key_env: SECRET_ENV }],
    });
    expect(evalAttempt.status).toBe(400);
    expect(evalAttempt.body.error.hint).toMatch(/connection/);
    expect(JSON.stringify(evalAttempt.body)).not.toContain(SECRET);

    const form = new FormData();
    form.set('file', new Blob(['# Doc\nSome text to draft from.']), 'doc.md');
    form.set('base_url', `${outside}/v1`);
    form.set('api_key', 'x');
    form.set('model', 'm');
    const qa = await app.request('/api/v1/datasets/qa-drafts', { method: 'POST', body: form, headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(qa.status).toBe(400);
    expect((await json(qa)).error.hint).toMatch(/connection/);

    // Even an admin cannot wire a connection to a variable that is not allow-listed, and the
    // answer is the same whether the variable exists or not.
    const viaEnv = await call('POST', '/connections', { name: 'leak', base_url: `${outside}/v1`, api_key_env: SECRET_ENV });
    const noSuchVar = await call('POST', '/connections', { name: 'leak', base_url: `${outside}/v1`, api_key_env: 'NO_SUCH_VARIABLE_HERE' });
    expect(viaEnv.status).toBe(400);
    expect(viaEnv.body.error.message.replace(SECRET_ENV, 'V')).toBe(noSuchVar.body.error.message.replace('NO_SUCH_VARIABLE_HERE', 'V'));
    await evaluationService(ctx).idle();
    expect(received).toEqual([]);
  });

  it('sends a connection\'s own key to its endpoint, and no answer ever shows the key', async () => {
    // A key inside the URL would be shown to every member who lists connections.
    const inUrl = await call('POST', '/connections', { name: 'api', base_url: `http://user:${CONN_KEY}@127.0.0.1:1/v1` });
    expect(inUrl.status).toBe(400);
    expect(inUrl.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'base_url', message: expect.stringMatching(/no user:password@/) });
    expect((await call('POST', '/connections', { name: 'api', base_url: 'ftp://127.0.0.1/v1' })).status).toBe(400);
    const created = await call('POST', '/connections', { name: 'api', base_url: `${outside}/v1/`, model: 'gpt-x', api_key: CONN_KEY });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'api', base_url: `${outside}/v1`, model: 'gpt-x', key: 'stored', api_key_env: null });
    const listed = await call('GET', '/connections');
    expect(listed.body.data.map((c: { name: string }) => c.name)).toEqual(['api']);
    expect(JSON.stringify(listed.body) + JSON.stringify(await call('GET', '/connections/api'))).not.toContain(CONN_KEY);

    const e = await call('POST', '/evaluations', { dataset_id: testSet, models: [{ kind: 'endpoint', connection: 'api' }] });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    await evaluationService(ctx).idle();
    const done = (await call('GET', `/evaluations/${e.body.id}`)).body as Evaluation;
    expect(done.models[0]).toMatchObject({ status: 'succeeded', label: 'api', metrics: { exact_match: 100 } });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toBe(`Bearer ${CONN_KEY}`);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ model: 'gpt-x' });
    expect(JSON.stringify(done)).not.toContain(CONN_KEY);
  });

  it('quotes a hostile endpoint\'s answer only as a short, sanitised excerpt without the key', async () => {
    expect((await call('POST', '/connections', { name: 'echo', base_url: `${outside}/echo/v1`, api_key: CONN_KEY })).status).toBe(201);
    const e = await call('POST', '/evaluations', { dataset_id: testSet, models: [{ kind: 'endpoint', connection: 'echo', model: 'm' }] });
    await evaluationService(ctx).idle();
    const column = ((await call('GET', `/evaluations/${e.body.id}`)).body as Evaluation).models[0]!;
    expect(column.status).toBe('failed');
    expect(column.error!.message).toMatch(/echo\/v1\/chat\/completions answered HTTP 500: <html> \[31mboom Bearer \[redacted\] x+…$/);
    expect(column.error!.message.length).toBeLessThan(400);
    expect(column.error!.message).not.toMatch(/[\u0000-\u001f]/);
    expect(JSON.stringify(column)).not.toContain(CONN_KEY);
  });

  it('refuses to delete a connection an evaluation still calls, listing it; deletes it once the evaluation is done', async () => {
    expect((await call('POST', '/connections', { name: 'slow', base_url: `${outside}/hold/v1`, model: 'm' })).status).toBe(201);
    const e = await call('POST', '/evaluations', { dataset_id: testSet, models: [{ kind: 'endpoint', connection: 'slow' }] });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(held).toHaveLength(1); // the evaluation is waiting on the endpoint
    const refused = await call('DELETE', '/connections/slow');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'IN_USE', details: { users: [{ kind: 'evaluation', id: e.body.id, status: 'running' }] } });
    expect(refused.body.error.message).toContain(`evaluation ${e.body.id} (running)`);
    expect((await call('GET', '/connections/slow')).status).toBe(200);
    held.shift()!();
    await evaluationService(ctx).idle();
    expect(((await call('GET', `/evaluations/${e.body.id}`)).body as Evaluation).models[0]!.status).toBe('succeeded');
    expect((await call('DELETE', '/connections/slow')).body).toMatchObject({ deleted: true });
  });

  it('refuses an unknown connection before anything is queued, and leaves connections to admins', async () => {
    const before = evaluationService(ctx).evaluations.list().length;
    const ghost = await call('POST', '/evaluations', { dataset_id: testSet, models: [{ kind: 'endpoint', connection: 'nope' }] });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error).toMatchObject({ code: 'CONNECTION_NOT_FOUND', message: 'no connection named "nope"' });
    expect(evaluationService(ctx).evaluations.list()).toHaveLength(before);

    const member = (await call('POST', '/keys', { name: 'dev', role: 'member' })).body.key as string;
    expect((await call('POST', '/connections', { name: 'mine', base_url: `${outside}/v1` }, member)).status).toBe(403);
    expect((await call('DELETE', '/connections/api', undefined, member)).status).toBe(403);
    expect((await call('GET', '/connections', undefined, member)).status).toBe(200);
    expect((await call('DELETE', '/connections/api')).body).toMatchObject({ deleted: true });
    expect((await call('GET', '/connections/api')).body.error.code).toBe('CONNECTION_NOT_FOUND');
  });
});
