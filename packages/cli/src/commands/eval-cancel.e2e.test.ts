import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { fixedAnswerEndpoint } from '../../../../test-support/labelled-reviews.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// `whet eval cancel` and `whet eval delete` as a user runs them, against a real server. The
// evaluation's one column is an OpenAI-compatible endpoint on 127.0.0.1 that takes 300 ms a
// request, one at a time, so the run lasts long enough to be cancelled (the worker path is
// covered by the server's cancel-evaluation test).
describe('whet eval cancel / delete', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let slow: Awaited<ReturnType<typeof fixedAnswerEndpoint>>;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    slow = await fixedAnswerEndpoint('Blue.', { delayMs: 300 });
    server = await testServer(home);
    expect((await apiAt(server.url).post('/connections', { name: 'slow', base_url: slow.url, model: 'm' })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await slow?.close();
    cleanup();
  });

  it('refuses to delete a running evaluation, cancels it (waiting until it stopped), refuses a second cancel, then deletes it', async () => {
    const up = await whet('data', 'upload', writeJsonl(join(home, 'test.jsonl'), toyChatRows(100)), '--json');
    const dataset = JSON.parse(up.stdout).id as string;
    const run = await whet('eval', 'run', '--models', 'conn:slow#m=api', '--concurrency', '1', '--data', dataset, '--json');
    expect(run.code, run.stderr).toBe(0);
    const id = JSON.parse(run.stdout).id as string;

    const busy = await whet('eval', 'delete', id);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toMatch(new RegExp(`CONFLICT[^]*evaluation ${id} is (queued|running)[^]*whet eval cancel ${id}`));

    const cancel = await whet('eval', 'cancel', id, '--wait');
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/status {3}cancelled/);
    expect(cancel.stdout).toMatch(/\ncancelled by the local user \(this server has no API keys\) at \d{4}-/);
    expect(cancel.stdout).toMatch(/\napi\s+cancelled\s/);

    const again = await whet('eval', 'cancel', id, '--json');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(new RegExp(`CONFLICT[^]*is cancelled[^]*whet eval delete ${id}`));

    const del = await whet('eval', 'delete', id);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout.trim()).toBe(`deleted ${id}`);
    const gone = await whet('eval', 'show', id);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/NOT_FOUND/);
  });
});
