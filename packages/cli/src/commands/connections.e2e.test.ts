import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';

describe('whet connections', () => {
  const { home, cleanup } = tempHome();
  const OPERATOR = 'operator-secret-for-connections-cli';
  const KEY = 'sk-outside-key-read-from-stdin';
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer(home, { apiKeys: [OPERATOR] });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  const whet = (args: string[], opts: { key?: string; input?: string } = {}) =>
    runWhet(server.url, args, { env: { WHET_API_KEY: opts.key ?? OPERATOR }, input: opts.input, timeoutMs: 60_000 });

  it('adds a connection with its key from stdin, lists it without the key, refuses a member, and deletes it', async () => {
    const added = await whet(['connections', 'add', 'vllm', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'qwen', '--api-key-stdin'], { input: `${KEY}\n` });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^added connection vllm \(conn_\w+\) to http:\/\/127\.0\.0\.1:9\/v1, model qwen, key: stored$/m);
    expect(server.ctx.connections.target('vllm').apiKey).toBe(KEY); // trimmed of the newline

    const list = await whet(['connections', 'list']);
    expect(list.stdout).toMatch(/vllm\s+http:\/\/127\.0\.0\.1:9\/v1\s+qwen\s+stored/);
    const json = await whet(['connections', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    expect(list.stdout + json.stdout + added.stdout).not.toContain(KEY);

    const member = JSON.parse((await whet(['keys', 'create', '--role', 'member', '--json'])).stdout).key as string;
    const refused = await whet(['connections', 'delete', 'vllm'], { key: member });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error FORBIDDEN');

    const deleted = await whet(['connections', 'delete', 'vllm']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(server.ctx.connections.list()).toEqual([]);
  });
});
