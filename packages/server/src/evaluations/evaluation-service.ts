import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { WhetError, type Evaluation, type EvaluationCreate, type EvaluationJudge, type EvaluationSample } from '@whetstone/core';
import { accuracy } from '@whetstone/eval';
import type { AppContext } from '../context.ts';
import { datasetDataPath } from '../jobs/create-job.ts';
import { nowIso } from '../ids.ts';
import { logger } from '../logger.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { EvaluationStore } from '../store/evaluation-store.ts';
import { loadTestRows } from './load-test-rows.ts';
import { judgeName } from './judge/judge-chat.ts';
import { checkJudgeColumns } from './judge/check-judge-columns.ts';
import { isJudging } from './judge/is-judging.ts';
import { pendingJudge } from './judge/pending-judge.ts';
import { rejudgeEvaluation, writeVerdicts } from './judge/rejudge-evaluation.ts';
import { markCancelled, type CancelRequest } from './mark-cancelled.ts';
import { columnLabel } from './resolve-column.ts';
import { evalDir, runEvaluation, samplesPath, type EvaluationDeps } from './run-evaluation.ts';

export interface SampleQuery {
  /** index (default), worst (lowest bleu-4 of `label`, else of the last column), disagreement (largest spread first). */
  sort?: 'index' | 'worst' | 'disagreement';
  label?: string;
  /** Only rows where the columns' exact match differs. */
  disagree?: boolean;
  /** Only rows where some column has an error. */
  failed?: boolean;
  limit?: number;
  offset?: number;
}

/** A queued or running run (an evaluation, or a judge pass over a finished one): how to cancel it. */
interface ActiveRun {
  controller: AbortController;
  started: boolean;
}

/** Evaluations: creation (checks, then a background run; one run at a time), cancel, delete, reads and the per-sample view. */
export class EvaluationService {
  readonly evaluations: EvaluationStore;
  private queue: Promise<void> = Promise.resolve();
  /** Runs queued or under way, by evaluation id; a run leaves once it has ended (its worker gone). */
  private readonly active = new Map<string, ActiveRun>();
  private readonly deps: EvaluationDeps;
  private readonly updates = new EventEmitter().setMaxListeners(0);

  constructor(private readonly ctx: AppContext) {
    if (!(ctx.store instanceof SqliteStore)) throw new Error('evaluations need the SQLite store');
    this.evaluations = new EvaluationStore(ctx.store.db);
    this.deps = { config: ctx.config, store: ctx.store, evaluations: this.evaluations, connections: ctx.connections, gateway: ctx.gateway, onUpdate: (e) => this.updates.emit(e.id, e) };
    // Runs live in this process: one left unfinished by a previous server process will never finish.
    for (const e of this.evaluations.list()) {
      const judging = isJudging(e);
      if (judging) Object.assign(e.judge!, { status: 'failed', error: { code: 'WORKER_LOST', message: 'the server stopped while the judge ran', hint: 'Judge again (POST /api/v1/evaluations/:id/judge).' } });
      if (e.status !== 'queued' && e.status !== 'running') {
        if (judging) this.evaluations.update(e);
        continue;
      }
      e.status = 'failed';
      e.error = { code: 'WORKER_LOST', message: 'the server stopped while this evaluation ran', hint: 'Run the evaluation again.' };
      for (const m of e.models) if (m.status === 'queued' || m.status === 'running') Object.assign(m, { status: 'failed', worker_pid: null });
      e.finished_at = nowIso();
      this.evaluations.update(e);
    }
  }

  /** Check what can be checked now (the test set and its references, the few-shot data), store the evaluation, queue its run. */
  async create(body: EvaluationCreate): Promise<Evaluation> {
    // An unknown connection (or one without a model) is refused before anything is queued.
    for (const ref of body.models) if (ref.kind === 'endpoint') this.ctx.connections.target(ref.connection, ref.model);
    // So is a judge that does not exist, or one whose pairs name columns that do not.
    if (body.judge) checkJudgeColumns(body.judge, body.models.length);
    const judgeLabel = body.judge ? judgeName(body.judge.model, this.ctx) : null;
    const { source, id, path } = this.testSet(body);
    const rows = await loadTestRows(path, body.limit);
    // Refuses references outside the label set now, naming them, rather than after generating.
    if (body.labels) accuracy(rows.map(() => ''), rows.map((r) => r.reference), { labels: body.labels });
    const fewShotPath = this.fewShotPath(body);
    const evaluation: Evaluation = {
      id: `eval_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`,
      name: body.name ?? `eval of ${body.models.length} model${body.models.length > 1 ? 's' : ''} on ${id}`,
      status: 'queued',
      error: null,
      dataset: { source, id, path, rows: rows.length },
      request: body,
      baseline: body.baseline,
      models: body.models.map((ref) => ({
        label: columnLabel(ref, this.ctx.store),
        ref,
        status: 'queued',
        error: null,
        progress: { done: 0, total: rows.length },
        metrics: null,
        deltas: null,
        failed_rows: 0,
        tokens_per_sec: null,
        label_accuracy: null,
        label_metrics: null,
        overlap: null,
      })),
      judge: body.judge ? pendingJudge(body.judge, judgeLabel!) : null,
      created_at: nowIso(),
      finished_at: null,
    };
    const labels = evaluation.models.map((m) => m.label);
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup) throw new WhetError('INVALID_REQUEST', `two models have the label "${dup}"`, { hint: 'Give each model a distinct "label".', field: 'models' });
    this.evaluations.insert(evaluation);
    this.enqueue(evaluation.id, (signal) => runEvaluation(this.deps, evaluation.id, fewShotPath, signal), (current, e) => {
      current.status = 'failed';
      current.error = { code: 'INTERNAL', message: (e as Error)?.message ?? String(e), hint: 'See the server log.' };
      current.finished_at = nowIso();
    });
    return evaluation;
  }

  /**
   * Judge a finished evaluation again from its stored answers (another judge, rubric or mode);
   * queued behind other runs. The evaluation keeps its status; `judge.status` tells the progress.
   */
  judge(id: string, judge: EvaluationJudge): Evaluation {
    const e = this.get(id);
    if (e.status !== 'succeeded') throw new WhetError('CONFLICT', `evaluation ${id} is ${e.status}; only a succeeded evaluation can be judged again`, { hint: 'Wait for it to succeed, or create a new evaluation with "judge".' });
    if (isJudging(e)) throw new WhetError('CONFLICT', `evaluation ${id} is being judged already`, { hint: 'Wait for judge.status to be succeeded or failed.' });
    checkJudgeColumns(judge, e.models.length, '');
    e.judge = pendingJudge(judge, judgeName(judge.model, this.ctx));
    this.evaluations.update(e);
    this.updates.emit(e.id, e);
    this.enqueue(id, (signal) => rejudgeEvaluation(this.deps, id, judge, signal), (current, err) => {
      current.judge = { ...current.judge!, status: 'failed', error: { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), hint: 'See the server log.' } };
    });
    return e;
  }

  /**
   * Cancel a queued or running evaluation, or the judge pass running over a finished one. One
   * still queued ends `cancelled` at once; a running one is told to stop (its worker gets SIGTERM,
   * then SIGKILL after the stop grace) and ends `cancelled` once it has, keeping the scores of
   * the columns that finished. `cancelled.by` records who asked; so does the server log.
   */
  cancel(id: string, by: string): Evaluation {
    const e = this.get(id);
    const run = this.active.get(id);
    if (!run) {
      throw new WhetError('CONFLICT', `evaluation ${id} is ${e.status}${e.judge ? ` (judge ${e.judge.status})` : ''}; only a queued or running evaluation, or a judge pass under way, can be cancelled`, {
        hint: `Nothing runs for it. To remove it: DELETE /api/v1/evaluations/${id} (whet eval delete ${id}).`,
      });
    }
    if (run.controller.signal.aborted) return e; // asked already: the run is stopping
    const request: CancelRequest = { by, at: nowIso() };
    logger.info('evaluation cancel requested', { evaluation: id, by, status: e.status, judge: e.judge?.status ?? null, started: run.started });
    run.controller.abort(request);
    if (run.started) return this.get(id); // the run records the cancel and ends cancelled once its worker is gone
    // Still queued: nothing runs yet, so it ends now (its turn in the queue is skipped).
    markCancelled(e, request);
    if (e.cancelled?.what === 'judge') this.dropVerdicts(id); // the previous judge's verdicts were replaced by this pass
    this.evaluations.update(e);
    this.updates.emit(e.id, e);
    return e;
  }

  /** Delete a finished evaluation, its record, samples and files; one still queued or running is refused (cancel it first). */
  delete(id: string): { id: string; deleted: true } {
    const e = this.get(id);
    if (this.active.has(id)) {
      const what = this.active.get(id)!.controller.signal.aborted ? 'is being cancelled' : e.status === 'succeeded' ? 'is being judged' : `is ${e.status}`;
      throw new WhetError('CONFLICT', `evaluation ${id} ${what}`, {
        hint: `Cancel it first: POST /api/v1/evaluations/${id}/cancel (whet eval cancel ${id}), then delete it once it shows as cancelled.`,
      });
    }
    this.evaluations.delete(id);
    rmSync(evalDir(this.ctx.config.home, id), { recursive: true, force: true });
    logger.info('evaluation deleted', { evaluation: id });
    return { id, deleted: true };
  }

  /**
   * Queue a run behind the others. It gets a signal that cancel aborts, and is skipped when that
   * happened before its turn. A run that throws records `onError` on the stored evaluation.
   */
  private enqueue(id: string, work: (signal: AbortSignal) => Promise<void>, onError: (current: Evaluation, err: unknown) => void) {
    const run: ActiveRun = { controller: new AbortController(), started: false };
    this.active.set(id, run);
    this.queue = this.queue.then(async () => {
      try {
        if (run.controller.signal.aborted) return;
        run.started = true;
        await work(run.controller.signal);
      } catch (err) {
        const current = this.evaluations.get(id);
        if (!current) return;
        onError(current, err);
        this.evaluations.update(current);
        this.updates.emit(current.id, current);
      } finally {
        if (this.active.get(id) === run) this.active.delete(id);
      }
    });
  }

  private dropVerdicts(id: string) {
    const path = samplesPath(this.ctx.config.home, id);
    if (!existsSync(path)) return;
    const samples = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EvaluationSample);
    writeVerdicts(path, samples, null);
  }

  get(id: string): Evaluation {
    const e = this.evaluations.get(id);
    if (!e) throw new WhetError('NOT_FOUND', `no evaluation with id "${id}"`, { hint: 'List evaluations with GET /api/v1/evaluations.' });
    return e;
  }

  /** Calls `listener` with the evaluation after each change; returns the unsubscribe function. */
  subscribe(id: string, listener: (e: Evaluation) => void): () => void {
    this.updates.on(id, listener);
    return () => this.updates.off(id, listener);
  }

  /** Resolves once every queued run has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  samples(id: string, q: SampleQuery): { data: EvaluationSample[]; total: number } {
    const e = this.get(id);
    const path = samplesPath(this.ctx.config.home, id);
    if (!existsSync(path)) {
      if (e.status === 'cancelled') throw new WhetError('CONFLICT', `evaluation ${id} was cancelled before any model answered every row: it has no samples`, { hint: 'Run the evaluation again.' });
      throw new WhetError('CONFLICT', `evaluation ${id} is ${e.status}; its samples are written when it finishes`, { hint: 'Wait for status "succeeded".' });
    }
    let rows = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EvaluationSample);
    if (q.disagree) rows = rows.filter((r) => new Set(r.outputs.filter((o) => o.scores).map((o) => o.scores!.exact_match)).size > 1);
    if (q.failed) rows = rows.filter((r) => r.outputs.some((o) => o.error));
    if (q.sort === 'disagreement') rows.sort((a, b) => b.disagreement - a.disagreement || a.index - b.index);
    if (q.sort === 'worst') {
      const label = q.label ?? e.models.at(-1)!.label;
      const col = e.models.findIndex((m) => m.label === label);
      if (col < 0) throw new WhetError('INVALID_REQUEST', `no model labelled "${label}" in ${id}`, { hint: `Labels: ${e.models.map((m) => m.label).join(', ')}.`, field: 'label' });
      const bleu = (r: EvaluationSample) => r.outputs[col].scores?.['bleu-4'] ?? -1;
      rows.sort((a, b) => bleu(a) - bleu(b) || a.index - b.index);
    }
    const offset = q.offset ?? 0;
    return { data: rows.slice(offset, offset + (q.limit ?? 50)), total: rows.length };
  }

  private testSet(body: EvaluationCreate): { source: 'dataset' | 'job'; id: string; path: string } {
    if (body.dataset_id) {
      const ds = this.ctx.store.getDataset(body.dataset_id);
      if (!ds) throw new WhetError('DATASET_NOT_FOUND', `no dataset with id "${body.dataset_id}"`);
      if (ds.status !== 'ready') throw new WhetError('DATASET_NOT_READY', `dataset ${ds.id} is ${ds.status}`);
      return { source: 'dataset', id: ds.id, path: datasetDataPath(this.ctx.config.home, ds.id) };
    }
    const job = this.ctx.store.getJob(body.job_id!);
    if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${body.job_id}"`);
    const path = job.data_mix?.paths.test ?? job.data_mix?.paths.validation ?? (job.validation_dataset_id ? datasetDataPath(this.ctx.config.home, job.validation_dataset_id) : null);
    if (!path) {
      throw new WhetError('INVALID_REQUEST', `job ${job.id} has no held-out data (no test or validation split)`, {
        hint: 'Give a test set with dataset_id, or create the job with a test or validation split.',
        field: 'job_id',
      });
    }
    return { source: 'job', id: job.id, path };
  }

  private fewShotPath(body: EvaluationCreate): string | null {
    if (body.few_shot_dataset_id) {
      if (!this.ctx.store.getDataset(body.few_shot_dataset_id)) throw new WhetError('DATASET_NOT_FOUND', `no dataset with id "${body.few_shot_dataset_id}"`);
      return datasetDataPath(this.ctx.config.home, body.few_shot_dataset_id);
    }
    const job = body.job_id ? this.ctx.store.getJob(body.job_id) : undefined;
    const path = job ? (job.data_mix?.paths.train ?? datasetDataPath(this.ctx.config.home, job.dataset_id)) : null;
    if (!path && body.models.some((m) => m.few_shot > 0)) {
      throw new WhetError('INVALID_REQUEST', 'few_shot needs examples: give few_shot_dataset_id (or job_id, whose training data is used)', { field: 'few_shot_dataset_id' });
    }
    return path;
  }
}

const services = new WeakMap<AppContext, EvaluationService>();
/** One service per app context (the route file and tests share it). */
export function evaluationService(ctx: AppContext): EvaluationService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new EvaluationService(ctx)));
  return s;
}
