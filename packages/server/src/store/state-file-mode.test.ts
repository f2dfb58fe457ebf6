import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome, testApp } from '../../../../test-support/server.ts';

describe('the state database', () => {
  const { home, cleanup } = tempHome();
  const { ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('is readable by its owner only: it holds connection keys and key hashes', () => {
    ctx.connections.create({ name: 'x', base_url: 'http://127.0.0.1:1/v1', api_key: 'sk-123456' }); // writes the WAL too
    for (const f of ['whet.db', 'whet.db-wal']) expect(statSync(join(home, f)).mode & 0o777, f).toBe(0o600);
  });
});
