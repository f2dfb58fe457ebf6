import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, isWhetError, WhetError, WorkerScoreChoicesSpecSchema, type Benchmark, type BenchmarkModel, type ErrorCode } from '@whetstone/core';
import type { ServerConfig } from '../config.ts';
import { nowIso } from '../ids.ts';
import { startWorker } from '../jobs/worker-process.ts';
import { resolveTorchTarget } from '../evaluations/resolve-column.ts';
import type { Store } from '../store/store.ts';
import { rankModels, scoreQuestions, type ScoredQuestion } from './benchmark-scores.ts';

export interface BenchmarkDeps {
  config: ServerConfig;
  store: Store;
  onUpdate?: (b: Benchmark) => void;
}

export const benchmarkDir = (home: string, id: string) => join(home, 'benchmarks', id);
export const questionsPath = (home: string, id: string) => join(benchmarkDir(home, id), 'questions.jsonl');
export const modelScoresPath = (home: string, id: string, index: number) => join(benchmarkDir(home, id), `model-${index}.jsonl`);

/**
 * Runs a benchmark to the end: each model in turn scores the same questions through
 * `python -m whet_worker score-choices` (one model in memory at a time), then its accuracy
 * overall and per subject is computed here and the models are ranked. A model that fails keeps
 * its error; the benchmark fails only when every model does.
 */
export async function runBenchmark(deps: BenchmarkDeps, id: string, fewshotPath: string | null): Promise<void> {
  const benchmark = deps.store.getBenchmark(id)!;
  const save = () => {
    benchmark.ranking = rankModels(benchmark.models);
    deps.store.updateBenchmark(benchmark);
    deps.onUpdate?.(benchmark);
  };
  benchmark.status = 'running';
  save();
  for (const [i, model] of benchmark.models.entries()) {
    model.status = 'running';
    save();
    try {
      await scoreModel(deps, benchmark, model, i, fewshotPath, save);
      model.status = 'succeeded';
    } catch (e) {
      model.status = 'failed';
      model.error = errorBody(e);
    }
    save();
  }
  const failed = benchmark.models.filter((m) => m.status === 'failed');
  if (failed.length === benchmark.models.length) {
    benchmark.status = 'failed';
    benchmark.error = { code: 'WORKER_FAILED', message: `every model failed; first: ${failed[0]!.label}: ${failed[0]!.error!.message}`, hint: failed[0]!.error!.hint };
  } else {
    benchmark.status = 'succeeded';
  }
  benchmark.finished_at = nowIso();
  save();
}

async function scoreModel(deps: BenchmarkDeps, benchmark: Benchmark, model: BenchmarkModel, index: number, fewshotPath: string | null, save: () => void): Promise<void> {
  const target = resolveTorchTarget({ kind: 'model', model_id: model.model_id, few_shot: 0 }, deps.store);
  const dir = benchmarkDir(deps.config.home, benchmark.id);
  const outputPath = modelScoresPath(deps.config.home, benchmark.id, index);
  const spec = WorkerScoreChoicesSpecSchema.parse({
    version: 1,
    command: 'score-choices',
    model: { path: target.model_path, chat_template: null },
    adapter: target.adapter,
    questions_path: questionsPath(deps.config.home, benchmark.id),
    fewshot_path: fewshotPath,
    output_path: outputPath,
    num_fewshot: benchmark.num_fewshot,
    template: benchmark.template,
    method: benchmark.method,
    batch_size: benchmark.batch_size,
  });
  const specPath = join(dir, `model-${index}.spec.json`);
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  let error: { code: string; message: string; hint?: string | null } | null = null;
  let perSec: number | null = null;
  let runtime: number | null = null;
  const worker = startWorker(
    { python: deps.config.python, workerDir: deps.config.workerDir, command: 'score-choices', specPath },
    {
      onEvent(e) {
        if (e.type === 'choices_progress') {
          model.progress = { done: e.done, total: e.total };
          model.questions_per_sec = e.questions_per_sec;
          save();
        } else if (e.type === 'choices_scored') {
          perSec = e.questions_per_sec;
          runtime = e.score_runtime_s;
        } else if (e.type === 'error') {
          error = { code: e.code, message: e.message, hint: e.hint };
        }
      },
    },
  );
  const exit = await worker.exited;
  const reported = error as { code: string; message: string; hint?: string | null } | null;
  if (reported) {
    const code = (reported.code in ERROR_CODES ? reported.code : 'WORKER_FAILED') as ErrorCode;
    throw new WhetError(code, reported.message, reported.hint ? { hint: reported.hint } : {});
  }
  if (exit.code !== 0 || !existsSync(outputPath)) {
    throw new WhetError('WORKER_FAILED', `the scoring worker exited with ${exit.code ?? exit.signal}: ${exit.stderrTail.slice(-3).join(' | ')}`);
  }
  const lines = readScores(outputPath);
  const scores = scoreQuestions(lines);
  Object.assign(model, { acc: scores.acc, acc_norm: scores.acc_norm, subjects: scores.subjects, questions_per_sec: perSec, runtime_s: runtime });
  model.progress.done = model.progress.total;
}

export function readScores(path: string): ScoredQuestion[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ScoredQuestion);
}

/** The questions every model scores: the dataset's normalized rows (the first `limit`). */
export function writeQuestions(home: string, id: string, rows: string[]): string {
  mkdirSync(benchmarkDir(home, id), { recursive: true });
  const path = questionsPath(home, id);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

function errorBody(e: unknown): { code: string; message: string; hint: string } {
  if (isWhetError(e)) return { code: e.code, message: e.message, hint: e.hint };
  return { code: 'INTERNAL', message: (e as Error)?.message ?? String(e), hint: ERROR_CODES.INTERNAL.hint };
}
