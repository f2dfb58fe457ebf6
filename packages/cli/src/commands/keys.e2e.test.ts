import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';

describe('whet keys', () => {
  const { home, cleanup } = tempHome();
  const OPERATOR = 'operator-secret-for-cli-tests';
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer(home, { apiKeys: [OPERATOR] });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  const whet = (args: string[], key = OPERATOR) => runWhet(server.url, args, { env: { WHET_API_KEY: key }, timeoutMs: 60_000 });

  it('creates keys with a role, lists the roles, and an inference key cannot create keys', async () => {
    const made = await whet(['keys', 'create', '--name', 'chat-app', '--role', 'inference', '--rate-limit', '60', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const app = JSON.parse(made.stdout);
    expect(app).toMatchObject({ name: 'chat-app', role: 'inference', rate_limit_per_minute: 60, key: expect.stringMatching(/^whet-/) });

    const list = await whet(['keys', 'list']);
    expect(list.stdout).toMatch(/ROLE/);
    expect(list.stdout).toMatch(new RegExp(`${app.id}\\s+chat-app\\s+inference\\s+${app.prefix}\\s+60\\s+never`));

    const refused = await whet(['keys', 'create', '--role', 'admin'], app.key);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error FORBIDDEN: API key');
    expect(refused.stderr).toContain('needs the role "admin"');

    const typo = await whet(['keys', 'create', '--role', 'root']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/Allowed choices are admin, member, inference/);
    const noLimit = await whet(['keys', 'create', '--rate-limit', 'lots']);
    expect(noLimit.code).not.toBe(0);
    expect(noLimit.stderr).toContain('whole number');
    expect(server.ctx.apiKeys.count()).toBe(1);
  });
});
