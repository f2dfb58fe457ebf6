import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ERROR_CODES,
  isWhetError,
  WhetError,
  WorkerGenerateSpecSchema,
  type ErrorCode,
  type Evaluation,
  type EvaluationColumn,
  type EvaluationCreate,
  type EvaluationSample,
  type SampleJudge,
} from '@whetstone/core';
import { accuracyOfConfusion, labelReport, METRIC_KEYS, scorePairs, summarizeScores, type SampleScores } from '@whetstone/eval';
import type { ServerConfig } from '../config.ts';
import { nowIso } from '../ids.ts';
import { startWorker } from '../jobs/worker-process.ts';
import type { EvaluationStore } from '../store/evaluation-store.ts';
import type { Store } from '../store/store.ts';
import type { ConnectionStore } from '../store/connection-store.ts';
import type { Gateway } from '../deployments/gateway.ts';
import { columnOverlaps } from './column-overlap.ts';
import { judgeColumns } from './judge/judge-columns.ts';
import { endpointColumn } from './endpoint-column.ts';
import { loadFewShot, loadTestRows, type ChatTurn, type TestRow } from './load-test-rows.ts';
import { markCancelled, type CancelRequest } from './mark-cancelled.ts';
import { resolveTorchTarget } from './resolve-column.ts';

export interface EvaluationDeps {
  config: ServerConfig;
  store: Store;
  evaluations: EvaluationStore;
  /** Outside endpoints by name, with their keys, for endpoint columns. */
  connections: ConnectionStore;
  /** Local judges (models, deployments) answer through it. */
  gateway: Gateway;
  /** Called after every stored change (progress, a column done, the end), for live streams. */
  onUpdate?: (e: Evaluation) => void;
}

export const evalDir = (home: string, id: string) => join(home, 'evals', id);
export const samplesPath = (home: string, id: string) => join(evalDir(home, id), 'samples.jsonl');

interface ColumnOutput {
  predictions: (string | null)[];
  rowErrors: ({ code: string; message: string } | null)[];
  tokensPerSec: number | null;
}

/**
 * Runs an evaluation to the end: every column generates answers for the same test rows (torch
 * columns through `python -m whet_worker generate`, endpoint columns over HTTP), then each
 * column is scored in TypeScript, deltas are taken against the baseline column, and the
 * per-sample detail goes to evals/<id>/samples.jsonl. A column that fails keeps its error; the
 * others are kept. The evaluation fails only when every column does.
 *
 * `signal` cancels (its reason is the CancelRequest): the running column's worker gets SIGTERM
 * (SIGKILL after the stop grace), the columns still to run and the judge are skipped, and the
 * columns already finished keep their scores and samples; the evaluation ends `cancelled`.
 */
export async function runEvaluation(deps: EvaluationDeps, id: string, fewShotPath: string | null, signal: AbortSignal = new AbortController().signal): Promise<void> {
  const evaluation = deps.evaluations.get(id)!;
  const request = evaluation.request as EvaluationCreate;
  const save = () => {
    deps.evaluations.update(evaluation);
    deps.onUpdate?.(evaluation);
  };
  // Shown at once (the status follows once the worker has stopped); this copy is the one saved.
  const noteCancel = () => {
    evaluation.cancelled = { ...(signal.reason as CancelRequest), what: 'evaluation' };
    save();
  };
  signal.addEventListener('abort', noteCancel, { once: true });
  const dir = evalDir(deps.config.home, id);
  mkdirSync(dir, { recursive: true });
  const rows = await loadTestRows(evaluation.dataset.path, request.limit);
  const promptsPath = join(dir, 'prompts.jsonl');
  writeFileSync(promptsPath, rows.map((r) => JSON.stringify({ id: r.index, messages: r.messages })).join('\n') + '\n');
  evaluation.status = 'running';
  // Before generating, so that a warning shows while the columns run.
  const overlaps = await columnOverlaps(evaluation.models.map((c) => c.ref), rows, deps.store, deps.config.home);
  evaluation.models.forEach((c, i) => (c.overlap = overlaps[i]));
  save();

  const outputs: (ColumnOutput | null)[] = [];
  const scores: (SampleScores[] | null)[] = [];
  for (const [i, column] of evaluation.models.entries()) {
    if (signal.aborted) {
      outputs.push(null);
      scores.push(null);
      continue;
    }
    column.status = 'running';
    save();
    try {
      const fewShot = fewShotPath ? await loadFewShot(fewShotPath, column.ref.few_shot) : [];
      const out =
        column.ref.kind === 'endpoint'
          ? await endpointAnswers(deps, column, rows, fewShot, request, save, signal)
          : await workerColumn(deps, column, i, dir, promptsPath, fewShot, request, save, signal);
      const pairs = rows.map((r, k) => ({ prediction: out.predictions[k] ?? '', reference: r.reference }));
      const scored = scorePairs(pairs);
      column.metrics = summarizeScores(scored);
      if (request.labels) {
        // One mapping of the answers to labels: the accuracy is read off the report's confusion matrix.
        column.label_metrics = labelReport(pairs.map((p) => p.prediction), pairs.map((p) => p.reference), request.labels);
        column.label_accuracy = accuracyOfConfusion(column.label_metrics.confusion);
      }
      column.failed_rows = out.rowErrors.filter(Boolean).length;
      column.tokens_per_sec = out.tokensPerSec;
      column.status = 'succeeded';
      outputs.push(out);
      scores.push(scored.per_sample);
    } catch (e) {
      outputs.push(null);
      scores.push(null);
      if (signal.aborted) {
        column.status = 'cancelled'; // its progress stays where the worker stopped
        save();
        continue;
      }
      column.status = 'failed';
      column.error = errorBody(e);
    }
    column.progress.done = column.progress.total;
    save();
  }

  const base = evaluation.models[evaluation.baseline].metrics;
  for (const column of evaluation.models) {
    column.deltas = base && column.metrics ? (Object.fromEntries(METRIC_KEYS.map((k) => [k, column.metrics![k] - base[k]])) as EvaluationColumn['deltas']) : null;
  }
  // The judge runs once every column has answered; its verdicts go into the same samples file.
  const verdicts = request.judge && !signal.aborted ? await judgeColumns(deps, evaluation, request.judge, rows, outputs.map((o) => o?.predictions ?? null), save, signal) : null;
  // A cancelled run keeps the samples of the columns that finished (none: no file).
  if (!signal.aborted || outputs.some(Boolean)) writeSamples(deps.config.home, id, evaluation, rows, outputs, scores, verdicts);
  signal.removeEventListener('abort', noteCancel);
  const failed = evaluation.models.filter((c) => c.status === 'failed');
  if (signal.aborted) {
    markCancelled(evaluation, signal.reason as CancelRequest);
  } else if (failed.length === evaluation.models.length) {
    evaluation.status = 'failed';
    evaluation.error = { code: 'WORKER_FAILED', message: `every model failed; first: ${failed[0].label}: ${failed[0].error!.message}`, hint: failed[0].error!.hint };
  } else {
    evaluation.status = 'succeeded';
  }
  evaluation.finished_at = nowIso();
  save();
}

async function workerColumn(
  deps: EvaluationDeps,
  column: EvaluationColumn,
  index: number,
  dir: string,
  promptsPath: string,
  fewShot: ChatTurn[],
  request: EvaluationCreate,
  save: () => void,
  signal: AbortSignal,
): Promise<ColumnOutput> {
  if (column.ref.kind === 'endpoint') throw new Error('unreachable');
  const target = resolveTorchTarget(column.ref, deps.store);
  const outputPath = join(dir, `column-${index}.jsonl`);
  const spec = WorkerGenerateSpecSchema.parse({
    version: 1,
    command: 'generate',
    model: { path: target.model_path, chat_template: null },
    adapter: target.adapter,
    input_path: promptsPath,
    output_path: outputPath,
    few_shot: fewShot.map((t) => ({ role: t.role, content: t.content })),
    generation: { max_tokens: request.generation.max_tokens, temperature: request.generation.temperature, top_p: request.generation.top_p, top_k: 0, repetition_penalty: 1, seed: request.generation.seed },
    batch_size: request.batch_size,
    labels: column.ref.constrain_to_labels && request.labels ? request.labels : null,
  });
  const specPath = join(dir, `column-${index}.spec.json`);
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  let error: { code: string; message: string; hint?: string | null } | null = null;
  let tokensPerSec: number | null = null;
  let generated = false;
  const worker = startWorker(
    { python: deps.config.python, workerDir: deps.config.workerDir, command: 'generate', specPath },
    {
      onEvent(e) {
        if (e.type === 'generate_progress') {
          column.progress = { done: e.done, total: e.total };
          save();
        } else if (e.type === 'generated') {
          generated = true;
          tokensPerSec = e.tokens_per_sec;
        } else if (e.type === 'error') {
          error = { code: e.code, message: e.message, hint: e.hint };
        }
      },
    },
  );
  // Cancel: SIGTERM (the worker stops between batches), SIGKILL if it is still there after the grace.
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    worker.stop();
    killTimer = setTimeout(() => worker.kill(), deps.config.stopGraceSeconds * 1000).unref();
  };
  if (signal.aborted) stop(); // cancelled while the few-shot examples loaded
  else signal.addEventListener('abort', stop, { once: true });
  column.worker_pid = worker.pid;
  save();
  const exit = await worker.exited;
  signal.removeEventListener('abort', stop);
  clearTimeout(killTimer);
  column.worker_pid = null;
  // Answers written in full before the stop arrived still count.
  if (signal.aborted && !generated) throw new Error('cancelled');
  const reported = error as { code: string; message: string; hint?: string | null } | null;
  if (reported) {
    const code = (reported.code in ERROR_CODES ? reported.code : 'WORKER_FAILED') as ErrorCode;
    throw new WhetError(code, reported.message, reported.hint ? { hint: reported.hint } : {});
  }
  if (exit.code !== 0) {
    throw new WhetError('WORKER_FAILED', `the generation worker exited with ${exit.code ?? exit.signal}: ${exit.stderrTail.slice(-3).join(' | ')}`);
  }
  const lines = readFileSync(outputPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { prediction: string; error?: { code: string; message: string } });
  return {
    predictions: lines.map((l) => (l.error ? null : l.prediction)),
    rowErrors: lines.map((l) => l.error ?? null),
    tokensPerSec,
  };
}

async function endpointAnswers(
  deps: EvaluationDeps,
  column: EvaluationColumn,
  rows: TestRow[],
  fewShot: ChatTurn[],
  request: EvaluationCreate,
  save: () => void,
  signal: AbortSignal,
): Promise<ColumnOutput> {
  const ref = column.ref;
  if (ref.kind !== 'endpoint') throw new Error('unreachable');
  // Resolved now, not at creation: the key is read where it is sent and never stored with the evaluation.
  const target = { ...deps.connections.target(ref.connection, ref.model), timeoutMs: ref.timeout_s * 1000, concurrency: ref.concurrency };
  const out = await endpointColumn(
    target,
    rows,
    fewShot,
    request.generation,
    (done) => {
      column.progress.done = done;
      if (done % 10 === 0) save();
    },
    signal,
  );
  if (signal.aborted) throw new Error('cancelled');
  return { ...out, tokensPerSec: null }; // endpoints report no token counts we trust
}

function errorBody(e: unknown): { code: string; message: string; hint: string } {
  if (isWhetError(e)) return { code: e.code, message: e.message, hint: e.hint };
  return { code: 'INTERNAL', message: (e as Error)?.message ?? String(e), hint: ERROR_CODES.INTERNAL.hint };
}

const CANCELLED_CELL = { code: 'CANCELLED', message: 'the evaluation was cancelled before this model answered every row' };

function writeSamples(
  home: string,
  id: string,
  evaluation: Evaluation,
  rows: TestRow[],
  outputs: (ColumnOutput | null)[],
  scores: (SampleScores[] | null)[],
  verdicts: SampleJudge[] | null,
) {
  const lines = rows.map((row, k): EvaluationSample => {
    const cells = evaluation.models.map((column, i) => {
      const out = outputs[i];
      const s = scores[i]?.[k] ?? null;
      return {
        label: column.label,
        prediction: out ? out.predictions[k] : null,
        error: out ? out.rowErrors[k] : column.status === 'cancelled' ? CANCELLED_CELL : column.error && { code: column.error.code, message: column.error.message },
        scores: s,
      };
    });
    const bleus = cells.filter((c) => c.scores).map((c) => c.scores!['bleu-4']);
    const disagreement = bleus.length ? Math.max(...bleus) - Math.min(...bleus) : 0;
    return { index: row.index, messages: row.messages, reference: row.reference, outputs: cells, disagreement, ...(verdicts ? { judge: verdicts[k] } : {}) };
  });
  const path = samplesPath(home, id);
  writeFileSync(`${path}.partial`, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  renameSync(`${path}.partial`, path);
}
