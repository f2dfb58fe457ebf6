import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { WhetError, type Benchmark, type BenchmarkCreate, type BenchmarkQuestion, type Dataset } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { datasetDataPath } from '../jobs/create-job.ts';
import { nowIso } from '../ids.ts';
import { resolveTorchTarget } from '../evaluations/resolve-column.ts';
import { modelScoresPath, questionsPath, readScores, runBenchmark, writeQuestions, type BenchmarkDeps } from './run-benchmark.ts';

const MULTIPLE_CHOICE = 'multiple_choice';
const TEMPLATE_OF_FORMAT: Record<string, Benchmark['template']> = { ceval: 'ceval', cmmlu: 'cmmlu' };

export interface QuestionQuery {
  subject?: string;
  /** Only questions this model (label) got wrong. */
  wrong?: string;
  limit?: number;
  offset?: number;
}

/** Benchmarks: creation (checks, then a background run; one at a time), reads and the per-question view. */
export class BenchmarkService {
  private queue: Promise<void> = Promise.resolve();
  private readonly deps: BenchmarkDeps;
  private readonly updates = new EventEmitter().setMaxListeners(0);

  constructor(private readonly ctx: AppContext) {
    this.deps = { config: ctx.config, store: ctx.store, onUpdate: (b) => this.updates.emit(b.id, b) };
    // Runs live in this process: one left unfinished by a previous server process will never finish.
    for (const b of ctx.store.listBenchmarks()) {
      if (b.status !== 'queued' && b.status !== 'running') continue;
      b.status = 'failed';
      b.error = { code: 'WORKER_LOST', message: 'the server stopped while this benchmark ran', hint: 'Run the benchmark again.' };
      for (const m of b.models) if (m.status === 'queued' || m.status === 'running') m.status = 'failed';
      b.finished_at = nowIso();
      this.ctx.store.updateBenchmark(b);
    }
  }

  /** Check the datasets and models now, store the benchmark, queue its run. */
  create(body: BenchmarkCreate): Benchmark {
    const dataset = this.multipleChoice(body.dataset_id, 'dataset_id');
    const fewshot = body.fewshot_dataset_id ? this.multipleChoice(body.fewshot_dataset_id, 'fewshot_dataset_id') : null;
    const models = body.models.map((ref, i) => {
      const model = this.ctx.store.getModel(ref);
      if (!model) throw new WhetError('MODEL_NOT_FOUND', `models[${i}]: no model with id or name "${ref}"`, { hint: 'List models with GET /api/v1/models.', field: `models[${i}]` });
      resolveTorchTarget({ kind: 'model', model_id: model.id, few_shot: 0 }, this.ctx.store); // files present, adapter base known
      return model;
    });
    const dup = models.find((m, i) => models.findIndex((o) => o.id === m.id) !== i);
    if (dup) throw new WhetError('INVALID_REQUEST', `model ${dup.name} is listed twice`, { hint: 'Name each model once.', field: 'models' });

    const lines = readFileSync(datasetDataPath(this.ctx.config.home, dataset.id), 'utf8').split('\n').filter(Boolean).slice(0, body.limit);
    const subjectOf = (l: string) => (JSON.parse(l) as { subject?: string }).subject ?? '';
    const subjects = new Set(lines.map(subjectOf));
    if (body.num_fewshot > 0) {
      const pool = fewshot ? readFileSync(datasetDataPath(this.ctx.config.home, fewshot.id), 'utf8').split('\n').filter(Boolean) : lines;
      checkShots([...subjects], pool.map(subjectOf), body.num_fewshot, !fewshot);
    }
    const id = `bench_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
    const benchmark: Benchmark = {
      id,
      name: body.name ?? `${dataset.name} (${body.num_fewshot}-shot, ${models.length} model${models.length > 1 ? 's' : ''})`,
      status: 'queued',
      error: null,
      dataset: { id: dataset.id, format: dataset.format ?? '', questions: lines.length, subjects: subjects.size },
      fewshot_dataset_id: fewshot?.id ?? null,
      num_fewshot: body.num_fewshot,
      method: body.method,
      batch_size: body.batch_size,
      template: body.template ?? TEMPLATE_OF_FORMAT[dataset.format ?? ''] ?? 'mmlu',
      models: models.map((m) => ({
        model_id: m.id,
        label: m.name,
        status: 'queued',
        error: null,
        progress: { done: 0, total: lines.length },
        acc: null,
        acc_norm: null,
        subjects: [],
        questions_per_sec: null,
        runtime_s: null,
      })),
      ranking: [],
      created_at: nowIso(),
      finished_at: null,
    };
    writeQuestions(this.ctx.config.home, id, lines);
    this.ctx.store.insertBenchmark(benchmark);
    const fewshotPath = fewshot ? datasetDataPath(this.ctx.config.home, fewshot.id) : null;
    this.queue = this.queue.then(() =>
      runBenchmark(this.deps, id, fewshotPath).catch((e: unknown) => {
        const current = this.ctx.store.getBenchmark(id)!;
        current.status = 'failed';
        current.error = { code: 'INTERNAL', message: (e as Error)?.message ?? String(e), hint: 'See the server log.' };
        current.finished_at = nowIso();
        this.ctx.store.updateBenchmark(current);
        this.updates.emit(id, current);
      }),
    );
    return benchmark;
  }

  /** Every benchmark, oldest first. */
  list(): Benchmark[] {
    return this.ctx.store.listBenchmarks();
  }

  get(id: string): Benchmark {
    const b = this.ctx.store.getBenchmark(id);
    if (!b) throw new WhetError('NOT_FOUND', `no benchmark with id "${id}"`, { hint: 'List benchmarks with GET /api/v1/benchmarks.' });
    return b;
  }

  subscribe(id: string, listener: (b: Benchmark) => void): () => void {
    this.updates.on(id, listener);
    return () => this.updates.off(id, listener);
  }

  /** Resolves once every queued run has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Each question with every finished model's pick. */
  questions(id: string, q: QuestionQuery): { data: BenchmarkQuestion[]; total: number } {
    const b = this.get(id);
    const rows = readFileSync(questionsPath(this.ctx.config.home, id), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { question: string; choices: string[]; answer_index: number; subject?: string });
    const picks = b.models.map((m, i) => {
      const path = modelScoresPath(this.ctx.config.home, id, i);
      return m.status === 'succeeded' && existsSync(path) ? readScores(path).map((s) => s.pred) : null;
    });
    if (q.wrong !== undefined && !b.models.some((m) => m.label === q.wrong)) {
      throw new WhetError('INVALID_REQUEST', `no model labelled "${q.wrong}" in ${id}`, { hint: `Labels: ${b.models.map((m) => m.label).join(', ')}.`, field: 'wrong' });
    }
    let out: BenchmarkQuestion[] = rows.map((r, index) => ({
      index,
      subject: r.subject ?? '',
      question: r.question,
      choices: r.choices,
      answer: r.answer_index,
      picks: b.models.map((m, i) => {
        const pred = picks[i]?.[index] ?? null;
        return { label: m.label, pred, correct: pred === null ? null : pred === r.answer_index };
      }),
    }));
    if (q.subject !== undefined) out = out.filter((r) => r.subject === q.subject);
    if (q.wrong !== undefined) out = out.filter((r) => r.picks.find((p) => p.label === q.wrong)?.correct === false);
    const offset = q.offset ?? 0;
    return { data: out.slice(offset, offset + (q.limit ?? 50)), total: out.length };
  }

  private multipleChoice(id: string, field: string): Dataset {
    const ds = this.ctx.store.getDataset(id);
    if (!ds) throw new WhetError('DATASET_NOT_FOUND', `no dataset with id "${id}"`, { field });
    if (ds.status !== 'ready') throw new WhetError('DATASET_NOT_READY', `dataset ${ds.id} is ${ds.status}`, { field });
    if (ds.purpose !== MULTIPLE_CHOICE) {
      throw new WhetError('INVALID_REQUEST', `dataset ${ds.id} holds ${ds.purpose} data (format ${ds.format}), not multiple-choice questions`, {
        field,
        hint: 'Upload an MMLU, C-Eval or CMMLU file, or JSONL rows of {"question", "choices": [...], "answer"}.',
      });
    }
    return ds;
  }
}

/** Every subject needs k examples (k + 1 in the questions themselves, as a question is never its own), as the harness asserts. */
function checkShots(subjects: string[], pool: string[], k: number, sameFile: boolean): void {
  const need = sameFile ? k + 1 : k;
  for (const subject of subjects) {
    const have = pool.filter((s) => s === subject).length;
    if (have >= need) continue;
    const where = sameFile ? 'the dataset (no fewshot_dataset_id given)' : 'the few-shot dataset';
    throw new WhetError('INVALID_REQUEST', `subject "${subject}" has ${have} rows in ${where}; ${k}-shot needs ${need}`, {
      field: 'num_fewshot',
      hint: `Lower num_fewshot to ${Math.max(0, sameFile ? have - 1 : have)}, or give a fewshot_dataset_id (a dev set) with ${k} rows of every subject.`,
    });
  }
}

const services = new WeakMap<AppContext, BenchmarkService>();

/** The one BenchmarkService of an app context. */
export function benchmarkService(ctx: AppContext): BenchmarkService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new BenchmarkService(ctx)));
  return s;
}
