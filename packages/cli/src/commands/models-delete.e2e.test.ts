import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';

// `whet models delete` as a user runs it: refused while a deployment serves the model, with the
// deployment named; --force stops the deployment first.
describe('whet models delete', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer(home);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('refuses a model a deployment serves, naming it, and --force stops the deployment first', async () => {
    const api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const dep = await api.post('/deployments', { model: 'tiny', name: 'tiny-app' });
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);

    const refused = await runWhet(server.url, ['models', 'delete', 'tiny']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`IN_USE: model tiny is in use by deployment ${dep.body.id}`));
    expect((await api.get('/models/tiny')).status).toBe(200);

    const forced = await runWhet(server.url, ['models', 'delete', 'tiny', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await api.get('/models/tiny')).status).toBe(404);
    expect((await api.get(`/deployments/${dep.body.id}`)).body.status).toBe('stopped');
  });
});
