import type { FineTuningJobObject, Job, JobStatus } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { DEFAULT_OWNER } from './fine-tuned-model-name.ts';
import { openAiField } from './openai-field.ts';
import { resultFileId } from './openai-file.ts';

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * OpenAI's statuses. The native `validating` (the worker checks data and model before training)
 * is OpenAI's validating_files; `paused` has no OpenAI name and is reported as "paused", which
 * the official SDKs pass through (they do not check the status against their list).
 */
export const OPENAI_STATUS: Record<JobStatus, FineTuningJobObject['status']> = {
  queued: 'queued',
  validating: 'validating_files',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  paused: 'paused',
};

const METHOD_TYPE: Record<string, string> = { sft: 'supervised', dpo: 'dpo' };

/** A native job as OpenAI's fine_tuning.job object (a job made through the native API too). */
export function toOpenAiJob(ctx: AppContext, job: Job): FineTuningJobObject {
  const record = ctx.openAiJobs.get(job.id);
  const hp = job.hyperparameters as { epochs: number; batch_size: number; seed: number; beta?: number };
  const hyperparameters = {
    n_epochs: hp.epochs,
    batch_size: hp.batch_size,
    learning_rate_multiplier: record?.learning_rate_multiplier ?? 1,
    ...(job.method === 'dpo' && hp.beta !== undefined ? { beta: hp.beta } : {}),
  };
  const type = METHOD_TYPE[job.method] ?? job.method;
  const output = job.status === 'succeeded' && job.output_model_id ? ctx.store.getModel(job.output_model_id) : undefined;
  const eta = job.progress.eta_seconds;
  return {
    id: job.id,
    object: 'fine_tuning.job',
    created_at: unix(job.created_at),
    finished_at: job.finished_at && job.status !== 'paused' ? unix(job.finished_at) : null,
    model: ctx.store.getModel(job.model_id)?.name ?? job.model_id,
    fine_tuned_model: output?.name ?? null,
    organization_id: record?.owner ?? DEFAULT_OWNER,
    status: OPENAI_STATUS[job.status],
    training_file: job.dataset_id,
    validation_file: job.validation_dataset_id,
    hyperparameters,
    method: { type, [type]: { hyperparameters } },
    result_files: job.status === 'succeeded' ? [resultFileId(job.id)] : [],
    trained_tokens: job.status === 'succeeded' ? trainedTokens(ctx, job.id) : null,
    error: job.status === 'failed' && job.error ? { code: job.error.code.toLowerCase(), message: `${job.error.message}. ${job.error.hint}`, param: job.error.field ? openAiField(job.error.field, `method.${type}.hyperparameters`, type) : null } : null,
    seed: hp.seed,
    estimated_finish: job.status === 'running' && eta !== null ? Math.floor(Date.now() / 1000) + eta : null,
    integrations: null,
    metadata: record?.metadata ?? null,
    user_provided_suffix: record?.suffix ?? null,
    whetstone: { status: job.status, method: job.method, tuning: job.tuning, progress: job.progress, name: job.name },
  };
}

/** Non-padding tokens trained on: the result's count, else the last progress event's. */
function trainedTokens(ctx: AppContext, jobId: string): number | null {
  const events = ctx.store.listEvents(jobId, 0, ['result', 'progress']);
  for (let i = events.length - 1; i >= 0; i--) {
    const d = events[i]!.data as { train_tokens?: unknown; tokens_seen?: unknown };
    const n = events[i]!.type === 'result' ? d.train_tokens : d.tokens_seen;
    if (typeof n === 'number') return n;
  }
  return null;
}
