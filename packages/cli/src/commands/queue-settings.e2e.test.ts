import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { jobRow } from '../../../../test-support/job-row.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';

// `whet jobs queue|move` and `whet settings show|set` as a user runs them, against the real server.
// The queued jobs are inserted as the scheduler stores them; nothing starts them in this file.
describe('whet jobs queue/move and whet settings', () => {
  const { home, cleanup } = tempHome();
  const OPERATOR = 'operator-secret-for-queue-cli';
  const SECRET = 'webhook-secret-from-stdin';
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer(home, { apiKeys: [OPERATOR] });
    for (const id of ['job_one', 'job_two', 'job_three']) server.ctx.store.insertJob(jobRow(home, id, { status: 'queued', attempts: 0 }));
    server.ctx.store.insertJob(jobRow(home, 'job_finished'));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  const whet = (args: string[], opts: { key?: string; input?: string } = {}) =>
    runWhet(server.url, args, { env: { WHET_API_KEY: opts.key ?? OPERATOR }, input: opts.input, timeoutMs: 60_000 });
  const order = () => server.ctx.store.listQueue().map((j) => j.id);

  it('lists the queue in order and moves jobs with --top, --before, --after and --bottom', async () => {
    const queue = await whet(['jobs', 'queue']);
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.stdout).toMatch(/^POSITION\s+ID\s+NAME/);
    expect(queue.stdout).toMatch(/1\s+job_one[\s\S]*2\s+job_two[\s\S]*3\s+job_three/);
    expect(queue.stdout).not.toContain('job_finished');

    const top = await whet(['jobs', 'move', 'job_three', '--top']);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout.trim()).toBe('job_three: now 1 in the queue');
    expect(order()).toEqual(['job_three', 'job_one', 'job_two']);
    expect((await whet(['jobs', 'move', 'job_two', '--before', 'job_one'])).code).toBe(0);
    expect(order()).toEqual(['job_three', 'job_two', 'job_one']);
    expect((await whet(['jobs', 'move', 'job_three', '--after', 'job_one'])).code).toBe(0);
    expect(order()).toEqual(['job_two', 'job_one', 'job_three']);
    const bottom = await whet(['jobs', 'move', 'job_two', '--bottom', '--json']);
    expect(JSON.parse(bottom.stdout)).toMatchObject({ id: 'job_two', queue_position: 3 });
    const json = JSON.parse((await whet(['jobs', 'queue', '--json'])).stdout) as { id: string }[];
    expect(json.map((j) => j.id)).toEqual(['job_one', 'job_three', 'job_two']);
  });

  it('says what is wrong with a move: no place, two places, a job that is not queued', async () => {
    const none = await whet(['jobs', 'move', 'job_one']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/error INVALID_REQUEST: say where the job goes\nhint: e\.g\. `whet jobs move JOB --top`/);
    const two = await whet(['jobs', 'move', 'job_one', '--top', '--after', 'job_two']);
    expect(two.stderr).toContain('give only one of --top, --bottom, --before ID or --after ID');
    const done = await whet(['jobs', 'move', 'job_finished', '--top']);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/error JOB_STATE_CONFLICT: job job_finished is succeeded; only queued jobs can move in the queue\nhint: .*whet jobs queue/);
    expect(order()).toEqual(['job_one', 'job_three', 'job_two']);
  });

  it('shows and sets the job webhook, reads the secret from stdin, never prints it, and refuses a member', async () => {
    const empty = await whet(['settings', 'show']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toMatch(/job-webhook-url\s+\(none\)/);
    const set = await whet(['settings', 'set', 'job-webhook-url', 'https://hooks.example.com/whet', '--secret-stdin'], { input: `${SECRET}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/job-webhook-url\s+https:\/\/hooks\.example\.com\/whet\njob-webhook-secret\s+set \(never shown\)/);
    expect(server.ctx.settings.jobWebhook()).toEqual({ url: 'https://hooks.example.com/whet', secret: SECRET });
    const shown = await whet(['settings', 'show', '--json']);
    expect(JSON.parse(shown.stdout)).toEqual({ job_webhook_url: 'https://hooks.example.com/whet', job_webhook_secret_set: true });
    expect(set.stdout + shown.stdout).not.toContain(SECRET);

    const bad = await whet(['settings', 'set', 'job-webhook-url', 'ftp://example.com/x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error INVALID_REQUEST: job_webhook_url: an http\(s\) URL/);
    const onCommandLine = await whet(['settings', 'set', 'job-webhook-secret', 'hunter2hunter2']);
    expect(onCommandLine.stderr).toContain('the secret is not taken on the command line');

    const member = JSON.parse((await whet(['keys', 'create', '--role', 'member', '--json'])).stdout).key as string;
    const refused = await whet(['settings', 'show'], { key: member });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error FORBIDDEN');

    expect((await whet(['settings', 'set', 'job-webhook-secret', 'none'])).code).toBe(0);
    expect((await whet(['settings', 'set', 'job-webhook-url', 'none'])).code).toBe(0);
    expect(server.ctx.settings.get()).toEqual({ job_webhook_url: null, job_webhook_secret_set: false });
  });
});
