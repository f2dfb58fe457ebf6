import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@whetstone/core';
import { jobRow } from '../../../../test-support/job-row.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { nowIso } from '../ids.ts';
import { jobDir } from './create-job.ts';
import { processIdentity } from './process-identity.ts';
import { writeWorkerRecord } from './worker-record.ts';

const GRACE_S = 3;

/** A job row as a server killed mid-run leaves it: running, with its worker's pid and a checkpoint on disk. */
function runningJob(home: string, id: string, pid: number): Job {
  const output = join(jobDir(home, id), 'output');
  mkdirSync(join(output, 'checkpoints', 'checkpoint-2'), { recursive: true });
  writeFileSync(join(output, 'checkpoints', 'checkpoint-2', 'trainer_state.json'), JSON.stringify({ global_step: 2 }));
  return jobRow(home, id, {
    status: 'running',
    progress: { step: 2, total_steps: 20, epoch: null, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null },
    worker_pid: pid,
    output_dir: output,
    started_at: nowIso(),
  });
}


/** A process whose command line names whet_worker, as a worker's does; `onTerm` is its SIGTERM handler. */
function fakeWorker(onTerm: string | null): ChildProcess {
  const code = `${onTerm ? `process.on('SIGTERM', ${onTerm});` : ''} setInterval(() => {}, 1000); console.log('ready');`;
  return spawn(process.execPath, ['-e', code, '--', '-m', 'whet_worker', 'train', 'spec.json'], { stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('a server restart with a stale worker pid', () => {
  const { home, cleanup } = tempHome();
  // maxConcurrentJobs 0: a resumed job stays queued (these rows have no model to train).
  const { app, ctx } = testApp(home, { stopGraceSeconds: GRACE_S, maxConcurrentJobs: 0 });
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await ctx.scheduler.shutdown();
    ctx.store.close();
    cleanup();
  });
  const getJob = async (id: string) => json(await app.request(`/api/v1/jobs/${id}`));
  const resume = (id: string) => app.request(`/api/v1/jobs/${id}/resume`, { method: 'POST' });

  // Another process now holds each stored pid: one recorded with another start (the pid was
  // reused), one never recorded. Both name whet_worker, so /proc's command line cannot tell.
  const reusedPid = fakeWorker(null);
  const unrecorded = fakeWorker(null);
  // Real old workers: one checkpoints for 1.5 s after SIGTERM, one ignores SIGTERM.
  const lingering = fakeWorker('() => setTimeout(() => process.exit(0), 1500)');
  const stubborn = fakeWorker('() => {}');
  procs.push(reusedPid, unrecorded, lingering, stubborn);
  const exited = new Map<ChildProcess, NodeJS.Signals | number | null>();
  for (const p of procs) p.once('exit', (code, sig) => exited.set(p, sig ?? code));

  let started = 0;
  beforeAll(async () => {
    await Promise.all(procs.map((p) => once(p.stdout!, 'data'))); // their SIGTERM handlers are installed
    for (const [id, p] of [['job_reused', reusedPid], ['job_unrecorded', unrecorded], ['job_lingering', lingering], ['job_stubborn', stubborn]] as const) {
      ctx.store.insertJob(runningJob(home, id, p.pid!));
    }
    writeWorkerRecord(jobDir(home, 'job_reused'), { pid: reusedPid.pid!, identity: `${reusedPid.pid}@an earlier start` });
    writeWorkerRecord(jobDir(home, 'job_lingering'), { pid: lingering.pid!, identity: processIdentity(lingering.pid!) });
    writeWorkerRecord(jobDir(home, 'job_stubborn'), { pid: stubborn.pid!, identity: processIdentity(stubborn.pid!) });

    started = Date.now();
    ctx.scheduler.start();
  });

  it('signals no process that merely holds a stored pid, another whet_worker included', async () => {
    // Strangers: their jobs settle at once, and nobody signalled them.
    for (const id of ['job_reused', 'job_unrecorded']) {
      const job = await getJob(id);
      expect(job.status).toBe('failed');
      expect(job.error.message).toMatch(/server restarted/);
      expect(job.resumable).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(exited.has(reusedPid) || exited.has(unrecorded)).toBe(false);
  });

  it('waits for its own old worker to exit (SIGKILL after the grace) before the job may resume', async () => {
    // Our old worker still lives: the server answers, the job is not resumable yet.
    const waiting = await getJob('job_lingering');
    expect(waiting.status).toBe('running');
    expect(waiting.resumable).toBe(false);
    const refused = await resume('job_lingering');
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatchObject({ code: 'JOB_NOT_RESUMABLE', message: expect.stringMatching(/still stopping/) });
    expect(exited.has(lingering)).toBe(false);

    // Once it exits (after its 1.5 s), the job is failed and resumable.
    let settledAfter = 0;
    for (let job = waiting; job.status === 'running'; job = await getJob('job_lingering')) {
      await new Promise((r) => setTimeout(r, 50));
      settledAfter = Date.now() - started;
    }
    expect(settledAfter).toBeGreaterThan(1300);
    expect(processIdentity(lingering.pid!)).toBeNull(); // failed (resumable) only once it is gone
    const settled = await getJob('job_lingering');
    expect(settled).toMatchObject({ status: 'failed', resumable: true, error: { code: 'WORKER_LOST', message: expect.stringMatching(/server restarted.*was stopped/) } });
    expect((await resume('job_lingering')).status).toBe(200);

    // One that ignores SIGTERM is killed at the end of the grace, then settles the same way.
    let stubbornJob = await getJob('job_stubborn');
    while (stubbornJob.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      stubbornJob = await getJob('job_stubborn');
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_S * 1000);
    expect(stubbornJob).toMatchObject({ status: 'failed', resumable: true, error: { message: expect.stringMatching(`did not exit within ${GRACE_S} s of SIGTERM and was killed`) } });
    await new Promise((r) => setTimeout(r, 100));
    expect(exited.get(stubborn)).toBe('SIGKILL');
    expect(exited.has(reusedPid) || exited.has(unrecorded)).toBe(false);
  });
});
