import { type Job, type JobCreate, type JobEstimate, TERMINAL_STATUSES } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { countedTokenStats } from '../datasets/dataset-token-stats.ts';
import { cappedMeanTokens, estimateDuration, median, type PlannedTraining } from './estimate-duration.ts';

/** Runs the speed is taken from: the latest few, so an old machine or code does not speak for today. */
const RECENT_RUNS = 20;

/** Each recent finished run of this model and tuning: the median of its tokens/s points. */
function runSpeeds(ctx: AppContext, job: Job): number[] {
  const earlier = ctx.store.listJobs({ status: [...TERMINAL_STATUSES] }).filter((j) => j.id !== job.id && j.model_id === job.model_id && j.tuning === job.tuning).slice(-RECENT_RUNS);
  const speeds: number[] = [];
  for (const j of earlier) {
    const s = median(ctx.store.listMetrics(j.id, ['tokens_per_sec']).map((p) => p.value).filter((v) => v > 0));
    if (s !== null) speeds.push(s);
  }
  return speeds;
}

/** Mean tokens per training sample over the job's sources (weighted by the rows drawn), or null when any is uncounted. */
function tokensPerSample(ctx: AppContext, job: Job, maxSeqLen: number): number | null {
  const model = ctx.store.getModel(job.model_id);
  if (!model) return null;
  const sources = job.data_mix?.sources.map((s) => ({ id: s.dataset_id, rows: s.taken })) ?? [{ id: job.dataset_id, rows: 1 }];
  let tokens = 0;
  let rows = 0;
  for (const s of sources) {
    const counts = countedTokenStats(ctx, s.id, model)?.tokens?.length_counts;
    const mean = counts ? cappedMeanTokens(counts, maxSeqLen) : null;
    if (mean === null) return null;
    tokens += mean * s.rows;
    rows += s.rows;
  }
  return rows > 0 ? tokens / rows : null;
}

/** The estimated duration of a job as the dry run resolved it (see estimate-duration.ts for the arithmetic). */
export function estimateJob(ctx: AppContext, job: Job, body: JobCreate): JobEstimate {
  const hp = job.hyperparameters as Record<string, unknown>;
  const num = (k: string, fallback: number) => (typeof hp[k] === 'number' ? (hp[k] as number) : fallback);
  const perStep = num('batch_size', 1) * num('gradient_accumulation_steps', 1);
  const epochs = num('epochs', 1);
  const maxSeqLen = num('max_seq_len', 512);
  const heldOut = typeof job.resolved.validation_rows?.value === 'number' && !job.validation_dataset_id ? job.resolved.validation_rows.value : 0;
  const trainRows = job.data_mix?.train ?? Math.max(0, (ctx.store.getDataset(job.dataset_id)?.rows ?? 0) - heldOut);
  const maxSteps = typeof hp.max_steps === 'number' ? hp.max_steps : null;
  const epochSteps = Math.max(1, Math.ceil(Math.max(1, Math.ceil(trainRows / perStep)) * epochs));
  const plan: PlannedTraining = {
    modelName: ctx.store.getModel(job.model_id)?.name ?? job.model_id,
    tuning: job.tuning,
    epochs,
    trainRows,
    steps: maxSteps ?? epochSteps,
    perStep,
    capped: maxSteps !== null,
    maxSeqLen,
    tokensPerSample: tokensPerSample(ctx, job, maxSeqLen),
  };
  return estimateDuration({ budget: body.budget, runSpeeds: runSpeeds(ctx, job), plan });
}
