import { type FineTuningJobCreate, type Job, JobCreateSchema, isWhetError, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { createJob } from '../jobs/create-job.ts';
import { zodToWhetError } from '../middleware/parse-body.ts';
import { newId, nowIso } from '../ids.ts';
import { fineTunedModelName } from './fine-tuned-model-name.ts';
import { openAiField } from './openai-field.ts';

const FILE_HINT = 'Upload it with POST /v1/files (purpose "fine-tune"), or list files with GET /v1/files.';

/**
 * OpenAI's job body onto a native job: supervised is "sft", dpo is "dpo"; n_epochs, batch_size,
 * beta and seed are the native hyperparameters of those names, learning_rate_multiplier scales
 * the auto learning rate, and `whetstone` carries native options (tuning, lora_r, budget,
 * max_seq_len, ...). Whatever is left out is "auto". The job is named after OpenAI's model name,
 * so its result model is called ft:<base>:<owner>:<suffix>:<job id>. Errors name OpenAI's fields.
 */
export async function createOpenAiJob(ctx: AppContext, body: FineTuningJobCreate, owner: string): Promise<Job> {
  const type = body.method?.type ?? 'supervised';
  const hpPath = body.method?.[type]?.hyperparameters ? `method.${type}.hyperparameters` : 'hyperparameters';
  const hp: Record<string, unknown> = body.method?.[type]?.hyperparameters ?? body.hyperparameters ?? {};
  const { tuning, budget, validation_split, drop_truncated, ...native } = body.whetstone ?? {};
  const given = (v: unknown) => v !== undefined && v !== 'auto';
  if (given(hp.learning_rate_multiplier) && native.learning_rate !== undefined) {
    throw new WhetError('INVALID_REQUEST', `give ${hpPath}.learning_rate_multiplier or whetstone.learning_rate, not both`, { field: 'whetstone.learning_rate' });
  }
  readyFile(ctx, body.training_file, 'training_file');
  if (body.validation_file) readyFile(ctx, body.validation_file, 'validation_file');
  const model = ctx.store.getModel(body.model);
  if (!model) {
    throw new WhetError('MODEL_NOT_FOUND', `the model "${body.model}" does not exist`, {
      field: 'model',
      hint: 'Name a base model registered on this server (GET /v1/models lists them; register one with POST /api/v1/models).',
    });
  }
  const id = newId('job');
  const request = {
    name: fineTunedModelName(model.name, owner, body.suffix, id),
    model: model.id,
    dataset: body.training_file,
    ...(body.validation_file ? { validation_dataset: body.validation_file } : {}),
    method: type === 'dpo' ? 'dpo' : 'sft',
    ...(tuning ? { tuning } : {}),
    ...(budget ? { budget } : {}),
    ...(validation_split !== undefined ? { validation_split } : {}),
    ...(drop_truncated !== undefined ? { drop_truncated } : {}),
    hyperparameters: {
      ...native,
      ...(given(hp.n_epochs) ? { epochs: hp.n_epochs } : {}),
      ...(given(hp.batch_size) ? { batch_size: hp.batch_size } : {}),
      ...(given(hp.beta) ? { beta: hp.beta } : {}),
      ...(body.seed != null ? { seed: body.seed } : {}),
    },
  };
  const fields = (f: string) => openAiField(f, hpPath, type);
  const parsed = JobCreateSchema.safeParse(request);
  if (!parsed.success) throw renamed(zodToWhetError(parsed.error, request), fields);
  const multiplier = given(hp.learning_rate_multiplier) ? (hp.learning_rate_multiplier as number) : undefined;
  let job: Job;
  try {
    job = await createJob(ctx, parsed.data, { id, learningRateMultiplier: multiplier });
  } catch (e) {
    throw isWhetError(e) ? renamed(e, fields) : e;
  }
  ctx.openAiJobs.insert({ job_id: job.id, suffix: body.suffix ?? null, metadata: body.metadata ?? null, owner, learning_rate_multiplier: multiplier ?? 1, created_at: nowIso() });
  ctx.scheduler.tick();
  return ctx.store.getJob(job.id) ?? job;
}

/** A training or validation file must be a dataset that finished validating without errors. */
function readyFile(ctx: AppContext, id: string, field: string) {
  const d = ctx.store.getDataset(id);
  if (!d) throw new WhetError('INVALID_REQUEST', `${field} "${id}" is not a file on this server`, { field, hint: FILE_HINT });
  if (d.status === 'processing') {
    throw new WhetError('DATASET_NOT_READY', `${field} "${id}" is still being validated`, { field, hint: `Wait until GET /v1/files/${id} shows status "processed", then create the job.` });
  }
  if (d.status === 'invalid') throw new WhetError('DATASET_INVALID', `${field} "${id}" has errors: ${d.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.message}`).join('; ')}`, { field });
}

/** The same error with OpenAI's field names, in `field` and in the message. */
function renamed(e: WhetError, fieldOf: (f: string) => string): WhetError {
  if (!e.field) return e;
  const field = fieldOf(e.field);
  if (field === e.field) return e;
  // Native names at the start of a name ("hyperparameters.lora_r: ..."), not inside an OpenAI one.
  const message = e.message.replace(/(?<![\w.])(hyperparameters\.\w+(?![\w.])|(?:dataset|validation_dataset|tuning|budget)(?=:))/g, (n) => fieldOf(n));
  return new WhetError(e.code, message, { field, hint: e.hint, line: e.line, details: e.details });
}
