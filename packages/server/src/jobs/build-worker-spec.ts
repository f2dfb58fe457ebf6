import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Job, type JobCreate, type ResolvedHyperparameters, type WorkerSpec, WorkerSpecSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { latestCheckpoint } from './checkpoints.ts';
import { autoValidationSplit, datasetDataPath, jobRunDir } from './create-job.ts';

/** Write `jobs/<id>/spec.json` (temp file + rename) for the next run of a job, resuming from its newest checkpoint. */
export function writeWorkerSpec(ctx: AppContext, job: Job, opts: { resume: boolean }): string {
  const model = ctx.store.getModel(job.model_id);
  if (!model) throw new WhetError('MODEL_NOT_FOUND', `the job's model ${job.model_id} no longer exists`);
  // Data prepared for the job (a mix, splits) lives in the job folder; else the dataset is read as uploaded.
  const mix = job.data_mix ?? null;
  const dataset = mix ? null : ctx.store.getDataset(job.dataset_id);
  if (!mix && !dataset) throw new WhetError('DATASET_NOT_FOUND', `the job's dataset ${job.dataset_id} no longer exists`);
  const checkpoint = opts.resume ? latestCheckpoint(job.output_dir) : null;
  const spec: WorkerSpec = {
    version: 1,
    command: 'train',
    job_id: job.id,
    method: job.method,
    tuning: job.tuning,
    model: { path: model.path, chat_template: null },
    data: mix
      ? { train: mix.paths.train, validation: mix.paths.validation, validation_split: 0 }
      : {
          train: datasetDataPath(ctx.config.home, dataset!.id),
          validation: job.validation_dataset_id ? datasetDataPath(ctx.config.home, job.validation_dataset_id) : null,
          validation_split: job.validation_dataset_id ? 0 : autoValidationSplit(dataset!.rows),
        },
    output_dir: job.output_dir,
    resume_from_checkpoint: checkpoint?.path ?? null,
    hyperparameters: job.hyperparameters as ResolvedHyperparameters,
    device: workerDevice(job),
    threads: null,
  };
  const request = job.request as Pick<JobCreate, 'budget' | 'drop_truncated'>;
  if (request.budget) spec.budget = request.budget;
  if (request.drop_truncated) spec.data.drop_truncated = true;
  if (job.resources?.strategy === 'fsdp') spec.strategy = 'fsdp'; // the worker shards through the Trainer's fsdp options
  // A labelling set held out by the worker: stratified, so every label is in the validation rows.
  if (!mix && dataset?.label_set && spec.data.validation_split > 0) spec.data.stratify_by = dataset.label_set.labels.map((l) => l.label);
  const dir = jobRunDir(ctx.config.home, job);
  if (job.resources?.shared_path) spec.data = copyDataTo(join(dir, 'data'), spec.data);
  const parsed = WorkerSpecSchema.parse(spec);
  mkdirSync(job.output_dir, { recursive: true });
  const path = join(dir, 'spec.json');
  writeFileSync(`${path}.tmp`, JSON.stringify(parsed, null, 2));
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * GPUs asked for: CUDA (nccl between processes). None: one local process keeps "auto" (a GPU when
 * present, as before resources existed); several processes train on CPU over gloo, as asked.
 */
function workerDevice(job: Job): WorkerSpec['device'] {
  const r = job.resources;
  if (!r) return 'auto';
  if (r.gpus_per_process > 0) return 'cuda';
  return r.executor === 'local' ? 'auto' : 'cpu';
}

/**
 * A job on shared storage: its ranks on other nodes read the training data there, not from this
 * server's state folder. Copied once (a resume finds the copies); the spec names the copies.
 */
function copyDataTo(dir: string, data: WorkerSpec['data']): WorkerSpec['data'] {
  mkdirSync(dir, { recursive: true });
  const copy = (from: string, name: string) => {
    const to = join(dir, name);
    if (!existsSync(to)) {
      copyFileSync(from, `${to}.tmp`);
      renameSync(`${to}.tmp`, to);
    }
    return to;
  };
  return { ...data, train: copy(data.train, 'train.jsonl'), validation: data.validation ? copy(data.validation, 'validation.jsonl') : null };
}
