import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAt } from '../../../../test-support/api-client.ts';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { tempHome } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';
import { processIdentity } from './process-identity.ts';
import { pidAlive as alive } from '../../../../test-support/pid-alive.ts';

/** Start the real server as its own process (so it can be killed -9), resolve its URL. */
function startServerProcess(home: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'packages/server/src/main.ts')], {
    cwd: REPO_ROOT,
    // The tiny model lives in the repo's .cache/, a model root of test servers (as in testConfig).
    env: { ...process.env, WHET_HOME: home, WHET_PORT: '0', WHET_LOG: 'error', WHET_MODEL_ROOTS: `${home},${join(REPO_ROOT, '.cache')}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /running on (http:\/\/\S+?) /.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

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
    // The old worker checkpoints and exits; until it has, the job stays running. (A check that a
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
    expect(after.error.message).toMatch(/server restarted.*was stopped/);
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
