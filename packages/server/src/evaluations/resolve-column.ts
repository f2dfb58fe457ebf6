import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WhetError, type EvaluationModelRef } from '@whetstone/core';
import { listCheckpoints } from '../jobs/checkpoints.ts';
import type { Store } from '../store/store.ts';

/** What the worker loads for a torch column: base weights, optionally with an adapter on top. */
export interface TorchTarget {
  model_path: string;
  adapter: string | null;
}

/** The label a column shows: the user's, else the model name, job id (@ step) or endpoint model. */
export function columnLabel(ref: EvaluationModelRef, store: Store): string {
  if (ref.label) return ref.label;
  const shots = ref.few_shot ? ` ${ref.few_shot}-shot` : '';
  if (ref.kind === 'model') return `${store.getModel(ref.model_id)?.name ?? ref.model_id}${shots}`;
  if (ref.kind === 'job') return `${ref.job_id}${ref.checkpoint_step ? `@${ref.checkpoint_step}` : ''}${shots}`;
  return `${ref.model ?? ref.connection}${shots}`;
}

/** A registered model, a job's result or one of its checkpoints, as folders on disk. MODEL_NOT_FOUND / JOB_NOT_FOUND when gone. */
export function resolveTorchTarget(ref: Exclude<EvaluationModelRef, { kind: 'endpoint' }>, store: Store): TorchTarget {
  if (ref.kind === 'model') return fromModel(ref.model_id, store);
  const job = store.getJob(ref.job_id);
  if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${ref.job_id}"`);
  if (ref.checkpoint_step === undefined) {
    if (!job.output_model_id) {
      throw new WhetError('MODEL_NOT_FOUND', `job ${job.id} has no result model (status ${job.status})`, {
        hint: 'Wait for the job to succeed, or name one of its checkpoints with checkpoint_step.',
      });
    }
    return fromModel(job.output_model_id, store);
  }
  const checkpoints = listCheckpoints(job.output_dir);
  const cp = checkpoints.find((c) => c.step === ref.checkpoint_step);
  if (!cp) {
    throw new WhetError('MODEL_NOT_FOUND', `job ${job.id} has no checkpoint at step ${ref.checkpoint_step}`, {
      hint: checkpoints.length ? `Its checkpoints are at steps ${checkpoints.map((c) => c.step).join(', ')}.` : 'The job saved no checkpoint.',
    });
  }
  const base = store.getModel(job.model_id);
  if (!base) throw new WhetError('MODEL_NOT_FOUND', `the base model ${job.model_id} of job ${job.id} no longer exists`);
  // LoRA checkpoints hold an adapter; full fine-tuning checkpoints hold whole weights.
  return existsSync(join(cp.path, 'adapter_config.json')) ? { model_path: base.path, adapter: cp.path } : { model_path: cp.path, adapter: null };
}

function fromModel(idOrName: string, store: Store): TorchTarget {
  const model = store.getModel(idOrName);
  if (!model) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${idOrName}"`);
  if (!existsSync(model.path)) {
    throw new WhetError('MODEL_NOT_FOUND', `the files of model ${model.name} are gone from ${model.path}`, { hint: 'Register the model again, or remove it from the evaluation.' });
  }
  if (model.kind !== 'adapter') return { model_path: model.path, adapter: null };
  const base = model.base_model_id ? store.getModel(model.base_model_id) : undefined;
  if (!base) throw new WhetError('MODEL_NOT_FOUND', `the base model ${model.base_model_id} of adapter ${model.name} no longer exists`);
  return { model_path: base.path, adapter: model.path };
}
