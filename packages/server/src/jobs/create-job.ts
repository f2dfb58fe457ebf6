import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, type Job, type JobCreate, type JobDataMix, type LabelSet, type Model, type ResolvedValue, WhetError } from '@whetstone/core';
import { autoValidation } from '@whetstone/data';
import type { AppContext } from '../context.ts';
import { tokenP99ForJob } from '../datasets/dataset-token-stats.ts';
import { checkSamePurpose, type JobDataSource, needsPreparedData, plannedTrainRows, prepareJobData } from '../datasets/prepare-job-data.ts';
import { newId, nowIso } from '../ids.ts';
import { checkAnswersFit } from './check-truncation.ts';
import { checkPurposeFitsMethod } from './check-purpose.ts';
import { checkQloraAvailable } from './check-qlora.ts';
import { pretrainBlocks } from './pretrain-blocks.ts';
import { describeCutAnswers, findCutAnswers } from './find-cut-answers.ts';
import { pretrainBlockSize, resolveHyperparameters } from './resolve-hyperparameters.ts';
import { checkFitsProcesses, resolveResources } from './resolve-resources.ts';
import { scaleLearningRate } from './scale-learning-rate.ts';

export const jobDir = (home: string, id: string) => join(home, 'jobs', id);
/**
 * Where a job's run reads and writes (spec.json, the data its ranks read, output/ with checkpoints
 * and the final model): its folder in the state folder, or <resources.shared_path>/<id> when the
 * job names shared storage every node sees. The server's own records (worker.json) stay in jobDir.
 */
export const jobRunDir = (home: string, job: Pick<Job, 'id' | 'resources'>) =>
  job.resources?.shared_path ? join(job.resources.shared_path, job.id) : jobDir(home, job.id);
export const datasetDataPath = (home: string, id: string) => join(home, 'datasets', id, 'data.jsonl');

function readyDataset(ctx: AppContext, id: string, field: string): Dataset {
  const d = ctx.store.getDataset(id);
  if (!d) throw new WhetError('DATASET_NOT_FOUND', `no dataset with id "${id}"`, { field });
  if (d.status !== 'ready') {
    throw new WhetError('DATASET_NOT_READY', `dataset ${id} is "${d.status}"${d.status === 'invalid' ? ` (${d.errors.length} errors)` : ''}`, { field });
  }
  if (d.rows === 0) throw new WhetError('DATASET_EMPTY', `dataset ${id} has no usable rows`, { field });
  return d;
}

/** Trainable base for a job: a base model, or (later) a job result to continue from. */
function trainableModel(ctx: AppContext, ref: string): Model {
  const m = ctx.store.getModel(ref);
  if (!m) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${ref}"`, { field: 'model' });
  if (m.kind === 'adapter') {
    throw new WhetError('INVALID_REQUEST', `model "${m.name}" is a LoRA adapter; train from its base model ${m.base_model_id}`, {
      field: 'model',
      hint: 'Use the base model id; continuing an adapter is planned for a later release.',
    });
  }
  return m;
}

export interface CreateJobOptions {
  /** Validate and resolve only: nothing is stored (any prepared data is removed), no worker starts. */
  dryRun?: boolean;
  /** The job's id, when the caller names things after it before it exists (OpenAI's model names). */
  id?: string;
  /** OpenAI's learning_rate_multiplier: scales the auto learning rate. */
  learningRateMultiplier?: number;
}

/**
 * Validate a job request against what is stored, resolve every value, and store it queued.
 * `dryRun`: the same checks and resolution, but nothing is stored (any prepared data is removed)
 * and no worker starts; the answer is the job as it would be created.
 */
export async function createJob(ctx: AppContext, body: JobCreate, opts: CreateJobOptions = {}): Promise<Job> {
  const model = trainableModel(ctx, body.model);
  const resources = resolveResources(body.resources, ctx.config.resources, { torchrunHosts: ctx.config.torchrunHosts, rayAddress: ctx.config.rayAddress, tuning: body.tuning });
  // Several datasets (or splits, de-duplication) are prepared under the job folder; see prepare-job-data.ts.
  const sources: JobDataSource[] = (body.datasets ?? [{ id: body.dataset! }]).map((entry, i) => {
    const d = readyDataset(ctx, entry.id, body.dataset ? 'dataset' : `datasets.${i}.id`);
    return { dataset: d, entry, path: datasetDataPath(ctx.config.home, d.id) };
  });
  checkSamePurpose(sources);
  if (body.tuning === 'qlora') checkQloraAvailable(ctx.config.python);
  checkPurposeFitsMethod(sources[0]!.dataset, body.method, body.dataset ? 'dataset' : 'datasets.0.id');
  const prepared = needsPreparedData(body);
  const dataset = sources[0]!.dataset;
  const validation = body.validation_dataset ? readyDataset(ctx, body.validation_dataset, 'validation_dataset') : null;
  if (validation) checkPurposeFitsMethod(validation, body.method, 'validation_dataset');
  const pretrain = body.method === 'pretrain';
  const hp = body.hyperparameters;
  const autoSeqLen = hp === 'auto' || hp.max_seq_len === undefined || hp.max_seq_len === 'auto';
  const tokensP99 = autoSeqLen && !pretrain ? await tokenP99ForJob(ctx, sources.map((s) => s.dataset), model) : null;
  // Continued pre-training trains on packed blocks of text: the schedule counts blocks, not documents.
  const blocks = pretrain ? await pretrainBlocks(ctx, sources.map((s) => s.dataset), model, pretrainBlockSize(hp, model.context_length)) : null;
  const resolve = (trainRows: number, hasValidation: boolean) =>
    scaleLearningRate(resolveHyperparameters({
      hyperparameters: body.hyperparameters,
      method: body.method,
      tuning: body.tuning,
      model,
      trainRows: blocks ? Math.max(1, Math.round(trainRows * blocks.perDocument)) : trainRows,
      hasValidation,
      tokensP99,
      budget: body.budget,
    }), opts.learningRateMultiplier);
  // Unprepared data: the worker holds out autoValidationSplit's rows unless a validation set is given.
  const heldOut = validation ? 0 : autoValidation(dataset.rows);
  let { values, resolved } = prepared
    ? resolve(plannedTrainRows(sources, body), validation !== null || body.validation_split !== 0)
    : resolve(dataset.rows - heldOut, validation !== null || heldOut > 0);
  if (body.tuning === 'freeze' && model.num_layers && values.freeze_trainable_layers > model.num_layers) {
    throw new WhetError('INVALID_HYPERPARAMETER', `freeze_trainable_layers ${values.freeze_trainable_layers} is more than the ${model.num_layers} layers of ${model.name}`, {
      field: 'hyperparameters.freeze_trainable_layers',
      hint: `Use 1 to ${model.num_layers}, or tuning "full" to train every layer.`,
    });
  }
  checkFitsProcesses(resources, values.batch_size);
  const id = opts.id ?? newId('job');
  let dataMix: JobDataMix | null = null;
  // The training rows' labels: of the prepared data when the job splits or mixes, else the dataset's as detected at upload.
  let labelSet: LabelSet | null = prepared ? null : (dataset.label_set ?? null);
  try {
    if (prepared) {
      const validationPath = validation ? datasetDataPath(ctx.config.home, validation.id) : null;
      ({ mix: dataMix, labelSet } = await prepareJobData(join(jobDir(ctx.config.home, id), 'data'), sources, body, values.seed, validationPath));
      ({ values, resolved } = resolve(dataMix.train, dataMix.validation_source !== 'none')); // the rows de-duplication and splits left
    }
    if (!prepared) resolved.validation_rows = describeValidation(dataset.rows, heldOut, validation);
    if (blocks) resolved.train_blocks = describeBlocks(blocks, values.max_seq_len, resolved.epochs?.value);
    else {
      // Answers cut by max_seq_len: chats only (raw text is packed into blocks, nothing is cut).
      await checkAnswersFit(dataMix?.paths.train ?? datasetDataPath(ctx.config.home, dataset.id), model.path, values.max_seq_len);
      const cut = await findCutAnswers(dataMix?.paths.train ?? datasetDataPath(ctx.config.home, dataset.id), model.path, values.max_seq_len);
      if (cut?.count) resolved.truncated_answers = describeCutAnswers(cut, values.max_seq_len, body.drop_truncated ?? false);
    }
  } catch (e) {
    rmSync(jobDir(ctx.config.home, id), { recursive: true, force: true });
    throw e;
  }
  if (opts.dryRun) rmSync(jobDir(ctx.config.home, id), { recursive: true, force: true });
  const job: Job = {
    id,
    name: body.name ?? `${model.name}-${body.tuning}-${id.slice(-6)}`,
    status: 'queued',
    method: body.method,
    tuning: body.tuning,
    model_id: model.id,
    dataset_id: dataset.id,
    validation_dataset_id: validation?.id ?? null,
    data_mix: dataMix,
    label_set: labelSet,
    request: body,
    hyperparameters: values,
    resolved,
    progress: { step: 0, total_steps: null, epoch: null, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null },
    error: null,
    executor: resources.executor,
    resources,
    worker_pid: null,
    output_dir: join(jobRunDir(ctx.config.home, { id, resources }), 'output'),
    output_model_id: null,
    last_checkpoint: null,
    resumable: false,
    attempts: 0,
    queue_position: null,
    created_at: nowIso(),
    started_at: null,
    finished_at: null,
  };
  if (opts.dryRun) return job;
  ctx.store.transaction(() => {
    ctx.store.insertJob(job);
    ctx.store.appendEvent(id, 'status', { status: 'queued' });
  });
  return job;
}

/** How much text continued pre-training has: blocks of max_seq_len tokens, counted or estimated. */
function describeBlocks(b: { tokens: number; perDocument: number; counted: boolean }, blockSize: number, epochs: unknown): ResolvedValue {
  const total = Math.max(1, Math.floor(b.tokens / blockSize));
  const how = b.counted ? `${b.tokens.toLocaleString('en-US')} tokens counted with the model's tokenizer` : `about ${b.tokens.toLocaleString('en-US')} tokens estimated from the file size (not counted yet)`;
  const passes = typeof epochs === 'number' ? `, ${epochs} passes` : '';
  // Below ~50 blocks, continued pre-training barely moves a model: say so and offer the QA path.
  const little =
    total < TOO_LITTLE_TEXT_BLOCKS
      ? `. That is little text for continued pre-training to change the model (${TOO_LITTLE_TEXT_BLOCKS}+ blocks help); with this little domain text, drafting question-answer pairs from the documents (POST /api/v1/datasets/qa-drafts, the console's data page) and training with method "sft" usually teaches more`
      : '';
  return { value: total, source: 'auto', reason: `${how}, an end-of-document token after each document: ${total} blocks of ${blockSize} tokens a pass${passes}${little}` };
}

/** Fewer blocks than this: too little raw text for continued pre-training to help much. */
export const TOO_LITTLE_TEXT_BLOCKS = 50;

/** The rows the eval loss is measured on, and why: early stopping and the diagnosis watch it. */
function describeValidation(rows: number, heldOut: number, validation: Dataset | null): ResolvedValue {
  if (validation) return { value: validation.rows, source: 'user', reason: `the validation dataset ${validation.name}` };
  if (heldOut === 0) return { value: 0, source: 'auto', reason: `${rows} rows are too few to hold any out (20 or more keep a validation split)` };
  return {
    value: heldOut,
    source: 'auto',
    reason: `10% of the ${rows} rows (at least 4, at most 1,000) held out: their eval loss drives early stopping and the diagnosis`,
  };
}

/**
 * The share the worker holds out when no validation set is given (autoValidation's rows). The
 * worker takes ceil(rows x share), so the share sits a hair below count / rows: float rounding
 * must not hold out one row more.
 */
export function autoValidationSplit(rows: number): number {
  const count = autoValidation(rows);
  return count === 0 ? 0 : (count - 0.5) / rows;
}
