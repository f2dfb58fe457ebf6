import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckpointModelCreate, type Job, type Model, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../ids.ts';
import { copyLoadableFiles } from '../models/copy-loadable-files.ts';
import { countSafetensorsParams, inspectModelDir } from '../models/inspect-model.ts';
import { listCheckpoints } from './checkpoints.ts';

/** Where a checkpoint's copy lives in the model store: one folder per job and step. */
export const checkpointModelDir = (home: string, jobId: string, step: number) => join(home, 'models', `${jobId}-step-${step}`);

/** Registrations under way, so that two requests for the same step copy it once. */
const pending = new Map<string, Promise<Model>>();

/**
 * One checkpoint of a job as a model, like the job's final result (registerJobOutput): a LoRA-family
 * checkpoint becomes an adapter on the job's base model, a full/freeze one whole weights. Its
 * loadable files are copied into the model store, so rotating or deleting the job's checkpoints
 * later never breaks it. The same step again answers the model registered before (created: false).
 */
export async function registerCheckpointModel(ctx: AppContext, job: Job, step: number, body: CheckpointModelCreate): Promise<{ model: Model; created: boolean }> {
  const existing = ctx.store.listModels().find((m) => m.job_id === job.id && m.checkpoint_step === step);
  if (existing) return { model: existing, created: false };
  const key = `${ctx.config.home}\n${job.id}\n${step}`;
  const running = pending.get(key);
  if (running) return { model: await running, created: false };
  const work = register(ctx, job, step, body).finally(() => pending.delete(key));
  pending.set(key, work);
  return { model: await work, created: true };
}

async function register(ctx: AppContext, job: Job, step: number, body: CheckpointModelCreate): Promise<Model> {
  const checkpoints = listCheckpoints(job.output_dir);
  const cp = checkpoints.find((c) => c.step === step);
  if (!cp) {
    throw new WhetError('NOT_FOUND', `job ${job.id} has no checkpoint at step ${step}`, {
      field: 'step',
      hint: checkpoints.length
        ? `Its checkpoints are at steps ${checkpoints.map((c) => c.step).join(', ')} (GET /api/v1/jobs/${job.id}/checkpoints).`
        : `The job has saved no checkpoint yet; one is written every save_steps steps while it trains.`,
    });
  }
  const base = ctx.store.getModel(job.model_id);
  const adapter = existsSync(join(cp.path, 'adapter_config.json'));
  if (adapter && !base) {
    throw new WhetError('MODEL_NOT_FOUND', `the base model ${job.model_id} of job ${job.id} no longer exists, and the checkpoint is an adapter on it`, {
      hint: 'An adapter is served on its base model, which was deleted; register the base model again and train a new job on it.',
    });
  }
  const name = modelName(ctx, job, step, body.name);
  const dest = checkpointModelDir(ctx.config.home, job.id, step);
  let files: string[];
  try {
    files = await copyLoadableFiles(cp.path, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new WhetError('CONFLICT', `checkpoint ${step} of job ${job.id} was removed while it was being copied (the job keeps only its newest checkpoints)`, {
      hint: `Pick a newer step: GET /api/v1/jobs/${job.id}/checkpoints.`,
    });
  }
  const info = adapter ? null : inspectModelDir(dest);
  const weights = files.filter((f) => f.endsWith('.safetensors'));
  const model: Model = {
    id: newId('mdl'),
    name,
    source: 'job',
    path: dest,
    hub_id: null,
    kind: adapter ? 'adapter' : 'full',
    architecture: info?.architecture ?? base?.architecture ?? null,
    model_type: info?.model_type ?? base?.model_type ?? null,
    params: info ? info.params : weights.length ? countSafetensorsParams(dest, weights) : null,
    context_length: info?.context_length ?? base?.context_length ?? null,
    num_layers: info?.num_layers ?? base?.num_layers ?? null,
    has_chat_template: info?.has_chat_template ?? base?.has_chat_template ?? false,
    base_model_id: job.model_id,
    job_id: job.id,
    checkpoint_step: step,
    label_set: job.label_set ?? null,
    created_at: nowIso(),
  };
  ctx.store.insertModel(model);
  return model;
}

/** The name asked for (409 when taken), else `<job name>-step-<N>`, numbered on when that is taken. */
function modelName(ctx: AppContext, job: Job, step: number, wanted: string | undefined): string {
  if (wanted !== undefined) {
    if (ctx.store.getModel(wanted)) {
      throw new WhetError('CONFLICT', `a model named "${wanted}" is already registered`, { field: 'name', hint: 'Pass another "name", or leave it out for the default "<job name>-step-<N>".' });
    }
    return wanted;
  }
  const stem = `${job.name}-step-${step}`;
  let name = stem;
  for (let i = 2; ctx.store.getModel(name); i++) name = `${stem}-${i}`;
  return name;
}
