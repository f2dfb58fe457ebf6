import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAt } from '../../../../test-support/api-client.ts';
import { startServerProcess } from '../../../../test-support/server-process.ts';
import { tempHome } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { processIdentity } from './process-identity.ts';
import { pidAlive as alive } from '../../../../test-support/pid-alive.ts';

describe('a server restart during a job', () => {
  const { home, cleanup } = tempHome();
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    cleanup();
  });

  it('never leaves a job "running" without a worker: it is failed with a hint, resumable, and resumes to success', async () => {
    const first = await startServerProcess(home);
    procs.push(first.proc);
    const api = apiAt(first.url);
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
    const data = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body;
    const job = (
      await api.post('/jobs', {
        model: model.id,
        dataset: data.id,
        hyperparameters: { max_steps: 2000, save_steps: 2, batch_size: 4, gradient_accumulation_steps: 1, learning_rate: 5e-3 },
      })
    ).body;
    let running: any;
    for (let i = 0; i < 600; i++) {
      running = (await api.get(`/jobs/${job.id}`)).body;
      if (running.last_checkpoint) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(running.status).toBe('running');
    const workerPid = running.worker_pid as number;
    expect(alive(workerPid)).toBe(true);

    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));

    const second = await startServerProcess(home);
    procs.push(second.proc);
    const api2 = apiAt(second.url);
    // The old worker checkpoints and exits (on its closed pipes, or on the new server's SIGTERM if it
    // is still alive then); until it has, the job stays running. (A check that a
    // resume is refused meanwhile raced the worker's exit between the GET and the POST, and was
    // dropped; the refusal of resuming a running job needs a test that holds the worker still.)
    let after = (await api2.get(`/jobs/${job.id}`)).body;
    for (let i = 0; i < 300 && after.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = (await api2.get(`/jobs/${job.id}`)).body;
    }
    expect(processIdentity(workerPid)).toBeNull(); // gone (at most a zombie its new parent has yet to reap)
    expect(after.status).toBe('failed');
    expect(after.error.code).toBe('WORKER_LOST');
    expect(after.error.message).toMatch(/server restarted.*was (stopped|gone)/);
    expect(after.last_checkpoint.step).toBeGreaterThanOrEqual(running.last_checkpoint.step);
    expect(after.error.hint).toMatch(/resume/i);
    expect(after.resumable).toBe(true);

    const resumed = await api2.post(`/jobs/${job.id}/resume`, { max_steps: after.last_checkpoint.step + 4 });
    expect(resumed.status).toBe(200);
    const done = await api2.waitFor(job.id, ['succeeded', 'failed'], 180_000);
    expect(done.status).toBe('succeeded');
    expect(done.progress.step).toBe(done.progress.total_steps);
    expect(done.output_model_id).toBeTruthy();
    second.proc.kill('SIGTERM');
  });
});
