import { type ErrorBody, errorBody, type ErrorEvent, type Job, type JobResume, type JobStatus, type PreferenceMetrics, TERMINAL_STATUSES, WhetError, type WorkerEvent } from '@whetstone/core';
import type { ServerConfig } from '../config.ts';
import { nowIso } from '../ids.ts';
import { logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { latestCheckpoint } from './checkpoints.ts';
import { jobDir } from './create-job.ts';
import type { JobBus } from './job-bus.ts';
import { registerJobOutput } from './register-job-output.ts';
import { chooseRunError } from './run-failure.ts';
import { resolvedFromPlan, resolvedFromResult, resolvedFromTrial } from './resolved-from-worker.ts';
import type { Execution, Executor, Leftover } from '../executors/executor.ts';
import type { WorkerExit } from './worker-process.ts';

type Intent = 'pause' | 'cancel';

interface Running {
  worker: Execution;
  intent: Intent | null;
  /** The terminal event the worker sent, if any: result, stopped or error. */
  outcome: WorkerEvent | null;
  /** Every error event of the run: several processes may each send one (see chooseRunError). */
  errors: ErrorEvent[];
  /** For the ETA: when and at which step this attempt's first progress arrived. */
  firstProgress: { time: number; step: number } | null;
  /** `started` events seen: more than one means the executor restarted the ranks itself (Ray Train's retries). */
  starts: number;
  killTimer: NodeJS.Timeout | null;
}

/** A worker left by a previous server process, being stopped before its job may be resumed. */
interface Settling {
  leftover: Leftover;
  /** Cancel or pause asked for meanwhile: the job ends that way once the worker is gone. */
  intent: Intent | null;
  timer: NodeJS.Timeout | null;
}

const SETTLE_POLL_MS = 200;

export interface SchedulerDeps {
  config: ServerConfig;
  store: Store;
  bus: JobBus;
  /** Writes spec.json for a run; injected so the scheduler stays free of route-level context. */
  writeSpec(job: Job, opts: { resume: boolean }): string;
  /** The executor that runs (or ran) this job. */
  executorFor(job: Job): Executor;
  /** Told when a job reaches succeeded, failed or cancelled (the job-end webhook); must not block. */
  onFinished?(job: Job): void;
}

/**
 * The queue: runs up to `maxConcurrentJobs` workers at once, turns worker events into job
 * state, and owns every status transition (queued → validating → running → succeeded |
 * failed | cancelled, and paused).
 */
export class Scheduler {
  private running = new Map<string, Running>();
  private settling = new Map<string, Settling>();
  private stopped = false;

  constructor(private deps: SchedulerDeps) {}

  /**
   * Reconcile jobs left running by a previous server process, then start queued ones. A worker
   * that still lives cannot be re-attached (its stdout went with the old server): it is asked to
   * checkpoint and stop, and its job becomes resumable only once it has exited, so a resume never
   * writes the folder it still writes. The waiting runs in the background: the server answers
   * meanwhile, and the job stays `running`, which cannot be resumed.
   */
  start() {
    for (const job of this.deps.store.listJobs({ status: ['validating', 'running'] })) {
      const leftover = this.deps.executorFor(job).recover(job, jobDir(this.deps.config.home, job.id));
      if (leftover) this.settle(job, leftover);
      else this.finishLost(job.id, job.status, `its worker (pid ${job.worker_pid ?? 'none'}) was gone`);
    }
    this.tick();
  }

  /** SIGTERM the old worker, poll until it exits, SIGKILL it after stopGraceSeconds. */
  private settle(job: Job, leftover: Leftover) {
    const what = leftover.describe;
    const grace = this.deps.config.stopGraceSeconds;
    const entry: Settling = { leftover, intent: null, timer: null };
    this.settling.set(job.id, entry);
    leftover.stop();
    this.publishNote(job.id, `the server restarted: its worker (${what}) was asked to checkpoint and stop; waiting up to ${grace} s for it to exit`);
    const deadline = Date.now() + grace * 1000;
    let killed = false;
    const poll = () => {
      if (this.stopped) return;
      if (leftover.isAlive()) {
        if (!killed && Date.now() >= deadline) {
          killed = true;
          leftover.kill();
        }
        entry.timer = setTimeout(poll, SETTLE_POLL_MS).unref();
        return;
      }
      this.settling.delete(job.id);
      if (!this.deps.store.getJob(job.id)) return this.tick();
      if (entry.intent === 'cancel') this.finish(job.id, 'cancelled', { reason: 'cancelled by request' });
      else if (entry.intent === 'pause') this.finish(job.id, 'paused', { reason: 'paused by request' });
      else this.finishLost(job.id, job.status, killed ? `its worker (${what}) did not exit within ${grace} s of SIGTERM and was killed` : `its worker (${what}) was stopped`);
      this.tick();
    };
    entry.timer = setTimeout(poll, SETTLE_POLL_MS).unref();
  }

  private finishLost(jobId: string, status: JobStatus, what: string) {
    this.finish(jobId, 'failed', { error: errorBody('WORKER_LOST', `the server restarted while this job was ${status}; ${what}`), reason: 'server restart' });
  }

  /** Stop every worker (server shutdown): they checkpoint, and their jobs become resumable. */
  async shutdown() {
    this.stopped = true;
    for (const s of this.settling.values()) if (s.timer) clearTimeout(s.timer); // the next start reconciles them again
    const waits = [...this.running.values()].map((r) => {
      r.worker.stop();
      return r.worker.exited;
    });
    await Promise.allSettled(waits);
  }

  tick() {
    if (this.stopped) return;
    // An old worker still stopping holds its cores (or GPU) as a running one does.
    const free = this.deps.config.maxConcurrentJobs - this.running.size - this.settling.size;
    if (free <= 0) return;
    for (const job of this.deps.store.listQueue().slice(0, free)) this.launch(job); // in queue order (POST /jobs/:id/move)
  }

  private launch(job: Job) {
    const resume = job.attempts > 0;
    job = this.update(job.id, { status: 'validating', started_at: job.started_at ?? nowIso(), error: null, attempts: job.attempts + 1 });
    let specPath: string;
    try {
      specPath = this.deps.writeSpec(job, { resume });
    } catch (e) {
      const err = e instanceof WhetError ? e.toJSON() : errorBody('INTERNAL', String(e));
      this.finish(job.id, 'failed', { error: err, reason: 'spec' });
      return;
    }
    let worker: Execution;
    try {
      worker = this.deps.executorFor(job).start(
        { job, jobDir: jobDir(this.deps.config.home, job.id), specPath },
        { onEvent: (e) => this.onWorkerEvent(job.id, e), onStderr: (line) => logger.debug('worker stderr', { job: job.id, line }) },
      );
    } catch (e) {
      const err = e instanceof WhetError ? e.toJSON() : errorBody('INTERNAL', String(e));
      this.finish(job.id, 'failed', { error: err, reason: 'spawn' });
      return;
    }
    const run: Running = { worker, intent: null, outcome: null, errors: [], firstProgress: null, starts: 0, killTimer: null };
    this.running.set(job.id, run);
    this.update(job.id, { worker_pid: worker.pid });
    for (const note of worker.notes ?? []) this.publishNote(job.id, note);
    worker.exited.then((exit) => this.onWorkerExit(job.id, exit));
  }

  /** One worker event's writes (event, metrics, job) commit together: one disk write per line. */
  private onWorkerEvent(jobId: string, e: WorkerEvent) {
    this.deps.store.transaction(() => this.applyWorkerEvent(jobId, e));
  }

  private applyWorkerEvent(jobId: string, e: WorkerEvent) {
    const { store } = this.deps;
    const run = this.running.get(jobId);
    this.publish(jobId, e.type, e as Record<string, unknown>);
    const job = store.getJob(jobId);
    if (!job) return;
    switch (e.type) {
      case 'started':
        if (job.status === 'validating') this.setStatus(jobId, 'running');
        if (run && ++run.starts > 1) {
          // The executor retried (Ray Train restarted the workers from the last checkpoint): the
          // failed attempt's errors stay in the log, but this attempt's end decides the job.
          run.outcome = null;
          run.errors = [];
          run.firstProgress = null;
        }
        break;
      case 'plan':
        this.update(jobId, {
          progress: { ...job.progress, total_steps: e.total_steps, eta_seconds: e.estimated_seconds != null ? Math.round(e.estimated_seconds) : job.progress.eta_seconds },
          resolved: resolvedFromPlan(job, e),
        });
        break;
      case 'trial':
        this.update(jobId, { resolved: resolvedFromTrial(job, e) });
        break;
      case 'progress': {
        if (run && !run.firstProgress) run.firstProgress = { time: Date.now(), step: e.step };
        let eta: number | null = null;
        if (run?.firstProgress && e.step > run.firstProgress.step) {
          const perStep = (Date.now() - run.firstProgress.time) / 1000 / (e.step - run.firstProgress.step);
          eta = Math.max(0, Math.round(perStep * (e.total_steps - e.step)));
        }
        store.appendMetrics(jobId, [
          { step: e.step, name: 'loss', value: e.loss },
          { step: e.step, name: 'learning_rate', value: e.learning_rate },
          ...(e.grad_norm !== null ? [{ step: e.step, name: 'grad_norm', value: e.grad_norm }] : []),
          ...(e.tokens_per_sec !== null ? [{ step: e.step, name: 'tokens_per_sec', value: e.tokens_per_sec }] : []),
          ...preferenceMetrics(e.step, e.preference, ''),
          ...(typeof e.mean_token_accuracy === 'number' ? [{ step: e.step, name: 'mean_token_accuracy', value: e.mean_token_accuracy }] : []),
        ]);
        this.update(jobId, {
          progress: {
            ...job.progress,
            step: e.step,
            total_steps: e.total_steps,
            epoch: e.epoch,
            loss: e.loss,
            learning_rate: e.learning_rate,
            tokens_per_sec: e.tokens_per_sec,
            eta_seconds: eta,
          },
        });
        break;
      }
      case 'eval':
        store.appendMetrics(jobId, [
          { step: e.step, name: 'eval_loss', value: e.eval_loss },
          ...(typeof e.perplexity === 'number' ? [{ step: e.step, name: 'eval_perplexity', value: e.perplexity }] : []),
          ...preferenceMetrics(e.step, e.preference, 'eval_'),
          ...(typeof e.mean_token_accuracy === 'number' ? [{ step: e.step, name: 'eval_mean_token_accuracy', value: e.mean_token_accuracy }] : []),
        ]);
        this.update(jobId, { progress: { ...job.progress, eval_loss: e.eval_loss } });
        break;
      case 'checkpoint':
        this.update(jobId, { last_checkpoint: { step: e.step, path: e.path } });
        break;
      case 'result':
        if (e.stopped_early || e.perplexity || e.preference) {
          this.update(jobId, {
            resolved: resolvedFromResult(job, e),
            // An early stop ends the run before its plan: the steps taken are the run's total now.
            ...(e.stopped_early ? { progress: { ...job.progress, step: e.steps, total_steps: e.steps } } : {}),
          });
        }
        if (run) run.outcome = e;
        break;
      case 'stopped':
        // A rank's failure stops the others: their `stopped` does not hide it.
        if (run && run.outcome?.type !== 'error') run.outcome = e;
        break;
      case 'error':
        if (run) {
          run.errors.push(e);
          run.outcome = chooseRunError(run.errors);
        }
        break;
    }
  }

  private onWorkerExit(jobId: string, exit: WorkerExit) {
    const run = this.running.get(jobId);
    this.running.delete(jobId);
    if (run?.killTimer) clearTimeout(run.killTimer);
    const job = this.deps.store.getJob(jobId);
    if (!job) return this.tick(); // deleted while running
    const outcome = run?.outcome ?? null;
    const intent = run?.intent ?? null;
    if (outcome?.type === 'result') {
      try {
        const model = registerJobOutput(this.deps.store, job, outcome);
        this.finish(jobId, 'succeeded', { output_model_id: model.id });
      } catch (e) {
        this.finish(jobId, 'failed', { error: errorBody('INTERNAL', `training finished but its output could not be registered: ${String(e)}`) });
      }
    } else if (outcome?.type === 'error') {
      this.finish(jobId, intent === 'cancel' ? 'cancelled' : 'failed', { error: errorBody(outcome.code, outcome.message, outcome.hint) });
    } else if (intent === 'pause') {
      this.finish(jobId, 'paused', { reason: outcome?.type === 'stopped' ? 'checkpointed' : 'stopped before a checkpoint' });
    } else if (intent === 'cancel') {
      this.finish(jobId, 'cancelled', { reason: 'cancelled by request' });
    } else {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const tail = exit.stderrTail.slice(-5).join(' | ');
      const code = exit.signal || outcome?.type === 'stopped' ? 'WORKER_LOST' : 'WORKER_FAILED';
      this.finish(jobId, 'failed', { error: errorBody(code, `the worker ${how} without a result${tail ? `: ${tail}` : ''}`) });
    }
    this.tick();
  }

  cancel(jobId: string): Job {
    const job = this.require(jobId);
    if (TERMINAL_STATUSES.includes(job.status)) {
      throw new WhetError('JOB_STATE_CONFLICT', `job ${jobId} is already ${job.status}`);
    }
    const run = this.running.get(jobId);
    if (run) {
      this.requestStop(run, 'cancel');
      return this.publishNote(jobId, 'cancel requested: the worker saves a checkpoint, then stops');
    }
    const settling = this.settling.get(jobId);
    if (settling) {
      settling.intent = 'cancel';
      return this.publishNote(jobId, `cancel requested: the job is cancelled once its worker from before the server restart (${settling.leftover.describe}) has exited`);
    }
    return this.finish(jobId, 'cancelled', { reason: 'cancelled before it ran' });
  }

  pause(jobId: string): Job {
    const job = this.require(jobId);
    const run = this.running.get(jobId);
    if (run) {
      this.requestStop(run, 'pause');
      return this.publishNote(jobId, 'pause requested: the worker saves a checkpoint, then stops');
    }
    const settling = this.settling.get(jobId);
    if (settling) {
      settling.intent = settling.intent ?? 'pause';
      return this.publishNote(jobId, `pause requested: the job is paused once its worker from before the server restart (${settling.leftover.describe}) has exited`);
    }
    if (job.status === 'queued') return this.finish(jobId, 'paused', { reason: 'paused before it ran' });
    throw new WhetError('JOB_STATE_CONFLICT', `job ${jobId} is ${job.status}; only queued or running jobs can be paused`);
  }

  resume(jobId: string, body: JobResume): Job {
    const job = this.require(jobId);
    const settling = this.settling.get(jobId);
    if (settling) {
      throw new WhetError('JOB_NOT_RESUMABLE', `job ${jobId}'s worker from before the server restart (${settling.leftover.describe}) is still stopping`, {
        hint: `Resume once the job shows as failed (within ${this.deps.config.stopGraceSeconds} s): GET /api/v1/jobs/${jobId}`,
      });
    }
    const checkpoint = latestCheckpoint(this.deps.executorFor(job).artifactsDir(job));
    const allowed = job.status === 'paused' || ((job.status === 'failed' || job.status === 'cancelled') && checkpoint !== null);
    if (!allowed) {
      throw new WhetError('JOB_NOT_RESUMABLE', `job ${jobId} is ${job.status}${checkpoint ? '' : ' and has no checkpoint'}`);
    }
    const hyperparameters = { ...job.hyperparameters };
    const resolved = { ...job.resolved };
    if (body.epochs !== undefined) {
      hyperparameters.epochs = body.epochs;
      resolved.epochs = { value: body.epochs, source: 'user', reason: `changed on resume (was ${job.hyperparameters.epochs}); the schedule is extended to cover it` };
    }
    if (body.max_steps !== undefined) {
      hyperparameters.max_steps = body.max_steps;
      resolved.max_steps = { value: body.max_steps, source: 'user', reason: `changed on resume (was ${job.hyperparameters.max_steps ?? 'none'})` };
    }
    this.update(jobId, { hyperparameters, resolved, error: null, finished_at: null });
    const updated = this.setStatus(jobId, 'queued', { reason: checkpoint ? `resume from step ${checkpoint.step}` : 'resume from the start (no checkpoint yet)' });
    this.tick();
    return this.deps.store.getJob(jobId) ?? updated;
  }

  /** Whether a worker may still run for this job: one this server started, or one a previous server left that is still stopping. */
  isRunning(jobId: string) {
    return this.running.has(jobId) || this.settling.has(jobId);
  }

  private requestStop(run: Running, intent: Intent) {
    run.intent = run.intent === 'cancel' ? 'cancel' : intent;
    run.worker.stop();
    if (!run.killTimer) {
      run.killTimer = setTimeout(() => run.worker.kill(), this.deps.config.stopGraceSeconds * 1000);
      run.killTimer.unref();
    }
  }

  private require(jobId: string): Job {
    const job = this.deps.store.getJob(jobId);
    if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${jobId}"`);
    return job;
  }

  private update(jobId: string, patch: Partial<Job>): Job {
    const job = { ...this.require(jobId), ...patch };
    this.deps.store.updateJob(job);
    return job;
  }

  private publish(jobId: string, type: string, data: Record<string, unknown>) {
    const stored = this.deps.store.appendEvent(jobId, type, data);
    this.deps.bus.publish(jobId, stored);
  }

  private publishNote(jobId: string, message: string): Job {
    this.publish(jobId, 'log', { type: 'log', level: 'info', message });
    return this.require(jobId);
  }

  private setStatus(jobId: string, status: JobStatus, extra: { reason?: string } = {}): Job {
    const job = this.update(jobId, { status });
    this.publish(jobId, 'status', { status, ...(extra.reason ? { reason: extra.reason } : {}) });
    return job;
  }

  private finish(jobId: string, status: JobStatus, extra: { error?: ErrorBody; output_model_id?: string; reason?: string } = {}): Job {
    const job = this.require(jobId);
    const checkpoint = latestCheckpoint(this.deps.executorFor(job).artifactsDir(job));
    const resumable = status === 'paused' || ((status === 'failed' || status === 'cancelled') && checkpoint !== null);
    let error = extra.error ?? null;
    if (error && resumable && checkpoint) {
      error = { ...error, hint: `${error.hint} This job can be resumed from its checkpoint at step ${checkpoint.step}: \`whet jobs resume ${jobId}\`.` };
    }
    this.update(jobId, {
      error,
      resumable,
      worker_pid: null,
      last_checkpoint: checkpoint ?? job.last_checkpoint,
      finished_at: TERMINAL_STATUSES.includes(status) ? nowIso() : null,
      ...(extra.output_model_id ? { output_model_id: extra.output_model_id } : {}),
    });
    const finished = this.setStatus(jobId, status, { reason: extra.reason ?? error?.message });
    if (TERMINAL_STATUSES.includes(status)) {
      try {
        this.deps.onFinished?.(finished);
      } catch (e) {
        logger.error('job-end notification failed', { job: jobId, error: String(e) });
      }
    }
    return finished;
  }
}

/** dpo and orpo: the rewards of chosen and rejected answers, their margin and the preference accuracy, as metrics (charted like the loss). */
function preferenceMetrics(step: number, p: PreferenceMetrics | null | undefined, prefix: '' | 'eval_') {
  if (!p) return [];
  return [
    { step, name: `${prefix}rewards_chosen`, value: p.chosen },
    { step, name: `${prefix}rewards_rejected`, value: p.rejected },
    { step, name: `${prefix}reward_margin`, value: p.margin },
    { step, name: `${prefix}preference_accuracy`, value: p.accuracy },
  ];
}
