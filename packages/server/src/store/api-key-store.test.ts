import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { SqliteStore } from './sqlite-store.ts';

describe('ApiKeyStore roles migration', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('gives keys made before roles existed the member role: they keep working but cannot manage keys', async () => {
    // A state folder from before roles: the api_keys table as round 1 left it, one key in it.
    const old = new SqliteStore(join(home, 'whet.db'));
    expect((old.db.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[]).map((c) => c.name)).not.toContain('role');
    const secret = `whet-${randomBytes(24).toString('base64url')}`;
    const salt = randomBytes(16).toString('hex');
    old.db
      .prepare('INSERT INTO api_keys (id, name, prefix, salt, hash, rate_limit_per_minute, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('key_old', 'legacy', secret.slice(0, 12), salt, scryptSync(secret, salt, 32).toString('hex'), null, '2026-01-01T00:00:00.000Z', null);
    old.close();

    const { app, ctx } = testApp(home);
    try {
      expect(ctx.apiKeys.list()).toEqual([expect.objectContaining({ id: 'key_old', role: 'member' })]);
      const auth = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
      expect((await app.request('/api/v1/models', { headers: auth })).status).toBe(200);
      const mint = await app.request('/api/v1/keys', { method: 'POST', headers: auth, body: JSON.stringify({ role: 'admin' }) });
      expect(mint.status).toBe(403);
      expect((await json(mint)).error.hint).toMatch(/WHET_API_KEYS are admins.*made before roles existed are members/);
      // Roles are checked by the database too.
      expect(() => (ctx.store as SqliteStore).db.prepare("UPDATE api_keys SET role = 'root'").run()).toThrow(/CHECK constraint/);
    } finally {
      await ctx.gateway.close();
      ctx.store.close();
    }
  });
});
