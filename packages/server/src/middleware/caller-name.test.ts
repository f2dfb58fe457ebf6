import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome, testApp } from '../../../../test-support/server.ts';
import { apiKeyAuth, type ApiKeyVariables } from './api-key.ts';
import { callerName } from './caller-name.ts';

// The real key check over the real key store: who a request is, as "cancelled by" records it.
describe('callerName', () => {
  const { home, cleanup } = tempHome();
  const { ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });
  const app = (operatorKeys: string[]) =>
    new Hono<{ Variables: ApiKeyVariables }>().use('*', apiKeyAuth(operatorKeys, ctx.apiKeys)).get('/who', (c) => c.text(callerName(c)));
  const who = async (a: Hono<{ Variables: ApiKeyVariables }>, key?: string) => (await a.request('/who', key ? { headers: { authorization: `Bearer ${key}` } } : {})).text();

  it('names a stored key by name and id, an operator key, or the local user of a server without keys', async () => {
    expect(await who(app([]))).toBe('the local user (this server has no API keys)');
    expect(await who(app(['op-secret']), 'op-secret')).toBe('an operator key (WHET_API_KEYS)');
    const key = ctx.apiKeys.create('ci-bot', null);
    expect(await who(app(['op-secret']), key.key)).toBe(`API key "ci-bot" (${key.id})`);
  });
});
