import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAt } from '../../../../test-support/api-client.ts';
import { startServerProcess } from '../../../../test-support/server-process.ts';
import { tempHome } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { processIdentity } from '../jobs/process-identity.ts';

// Issue 20: a torchrun job (a launcher and its 2 ranks) when its server is killed -9 and another
// server process starts on the same state folder. The launcher's output went with the old server,
// so the run cannot be re-attached: the new server asks the launcher to stop (it stops its ranks)
// if the broken pipe has not already ended them, and only once every process of the run is gone
// is the job failed, resumable; the resume continues from the checkpoint's step and succeeds.
describe('a server restart during a torchrun job', () => {
  const { home, cleanup } = tempHome();
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    cleanup();
  });

  it('stops every rank of the old run, fails the job resumably, and the resume continues its steps', { timeout: 300_000 }, async () => {
    const first = await startServerProcess(home);
    procs.push(first.proc);
    const api = apiAt(first.url);
    await api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    const data = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body;
    const created = await api.post('/jobs', {
      model: 'tiny',
      dataset: data.id,
      hyperparameters: { max_steps: 2000, save_steps: 2, batch_size: 4, learning_rate: 5e-3 },
      resources: { executor: 'torchrun', processes_per_node: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    let running = (await api.get(`/jobs/${id}`)).body;
    for (let t0 = Date.now(); !running.last_checkpoint && running.status !== 'failed' && Date.now() - t0 < 180_000; ) {
      await new Promise((r) => setTimeout(r, 200));
      running = (await api.get(`/jobs/${id}`)).body;
    }
    expect(running.status, JSON.stringify(running.error)).toBe('running');
    const launcher = running.worker_pid as number;
    const tree = processTree(launcher);
    expect(tree.length).toBe(3); // the launcher and its two ranks

    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));

    const second = await startServerProcess(home);
    procs.push(second.proc);
    const api2 = apiAt(second.url);
    const after = await api2.waitFor(id, ['failed', 'succeeded', 'paused', 'cancelled'], 120_000);
    expect(tree.filter((pid) => processIdentity(pid) !== null)).toEqual([]); // no rank left behind
    // The launcher may outlive the old server (the new one stops it: "was stopped") or not: its
    // ranks print events to the old server's pipe, and the first write after it closed ends them
    // and so the launcher ("was gone"; seen in CI). Either way no process of the run is left.
    expect(after).toMatchObject({ status: 'failed', resumable: true, error: { code: 'WORKER_LOST', message: expect.stringMatching(/server restarted.*was (stopped|gone)/) } });
    expect(after.error.hint).toMatch(/resume/i);

    const from = after.last_checkpoint.step as number;
    expect((await api2.post(`/jobs/${id}/resume`, { max_steps: from + 2 })).status).toBe(200);
    const done = await api2.waitFor(id, ['succeeded', 'failed'], 180_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const starts = (await api2.events(id)).filter((e) => e.type === 'started');
    expect(starts.at(-1)).toMatchObject({ resumed_from_step: from, world_size: 2 });
    expect(done.progress.step).toBe(from + 2);
    second.proc.kill('SIGTERM');
  });
});

/** `root` and every live process below it (a torchrun launcher and its ranks, which sit in sessions of their own). */
function processTree(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...rows.filter(([, ppid]) => ppid === tree[i]).map(([pid]) => pid));
  return tree;
}
