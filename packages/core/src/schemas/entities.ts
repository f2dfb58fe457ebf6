import { z } from 'zod';
import { HyperparametersInputSchema, METHODS, ResolvedValueSchema, TUNINGS } from './hyperparameters.ts';

export const ErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  line: z.number().int().optional(),
  field: z.string().optional(),
  details: z.unknown().optional(),
});
export const ErrorResponseSchema = z.object({ error: ErrorBodySchema });

// ---------- models ----------
export const MODEL_SOURCES = ['local', 'hub', 'modelscope', 'job'] as const;

export const ModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(MODEL_SOURCES),
  path: z.string().describe('Folder of the base weights, or of the adapter for a job result.'),
  hub_id: z.string().nullable(),
  kind: z.enum(['base', 'adapter', 'full']).describe('adapter: a PEFT adapter on base_model_id.'),
  architecture: z.string().nullable(),
  model_type: z.string().nullable(),
  params: z.number().int().nullable(),
  context_length: z.number().int().nullable(),
  num_layers: z.number().int().nullable(),
  has_chat_template: z.boolean(),
  base_model_id: z.string().nullable(),
  job_id: z.string().nullable(),
  created_at: z.string(),
});
export type Model = z.infer<typeof ModelSchema>;

export const ModelCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    path: z.string().min(1).optional().describe('A local Hugging Face model folder.'),
    hub_id: z.string().min(1).optional().describe('A model id to download, e.g. "HuggingFaceTB/SmolLM2-135M-Instruct".'),
    source: z.enum(['hub', 'modelscope']).optional().describe('Where hub_id lives (default hub).'),
    revision: z.string().min(1).optional(),
  })
  .strict()
  .refine((b) => Boolean(b.path) !== Boolean(b.hub_id), { message: 'give exactly one of "path" or "hub_id"', path: ['path'] });
export type ModelCreate = z.infer<typeof ModelCreateSchema>;

// ---------- datasets ----------
export const DATASET_STATUSES = ['processing', 'ready', 'invalid'] as const;

export const DatasetLineErrorSchema = z.object({
  line: z.number().int(),
  field: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type DatasetLineError = z.infer<typeof DatasetLineErrorSchema>;

export const DatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  filename: z.string(),
  format: z.string().nullable(),
  purpose: z.string(),
  status: z.enum(DATASET_STATUSES),
  sha256: z.string().nullable(),
  size_bytes: z.number().int(),
  rows: z.number().int(),
  preview: z.array(z.unknown()),
  errors: z.array(DatasetLineErrorSchema),
  error_counts: z.record(z.string(), z.number().int()),
  stats: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

// ---------- jobs ----------
export const JOB_STATUSES = ['queued', 'validating', 'running', 'succeeded', 'failed', 'cancelled', 'paused'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export const DatasetMixEntrySchema = z
  .object({
    id: z.string().min(1),
    weight: z.number().positive().optional(),
    samples: z.number().int().positive().optional(),
  })
  .strict();

export const JobCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    model: z.string().min(1).describe('Model id or name.'),
    dataset: z.string().min(1).optional().describe('Training dataset id.'),
    datasets: z.array(DatasetMixEntrySchema).min(1).optional().describe('A mix of datasets (later round: one entry for now).'),
    validation_dataset: z.string().min(1).optional(),
    method: z.enum(METHODS).default('sft'),
    tuning: z.enum(TUNINGS).default('lora'),
    hyperparameters: z.union([z.literal('auto'), HyperparametersInputSchema]).default('auto'),
  })
  .strict()
  .refine((b) => Boolean(b.dataset) !== Boolean(b.datasets), { message: 'give exactly one of "dataset" or "datasets"', path: ['dataset'] });
export type JobCreate = z.infer<typeof JobCreateSchema>;

export const JobResumeSchema = z
  .object({
    epochs: z.number().positive().max(1000).optional().describe('A new total number of epochs; the schedule is extended to cover them.'),
    max_steps: z.number().int().positive().optional(),
  })
  .strict();
export type JobResume = z.infer<typeof JobResumeSchema>;

export const JobProgressSchema = z.object({
  step: z.number().int(),
  total_steps: z.number().int().nullable(),
  epoch: z.number().nullable(),
  loss: z.number().nullable(),
  eval_loss: z.number().nullable(),
  learning_rate: z.number().nullable(),
  tokens_per_sec: z.number().nullable(),
  eta_seconds: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(JOB_STATUSES),
  method: z.enum(METHODS),
  tuning: z.enum(TUNINGS),
  model_id: z.string(),
  dataset_id: z.string(),
  validation_dataset_id: z.string().nullable(),
  request: z.unknown().describe('The body the job was created with.'),
  hyperparameters: z.record(z.string(), z.unknown()).describe('Resolved values.'),
  resolved: z.record(z.string(), ResolvedValueSchema).describe('Each resolved value with its reason.'),
  progress: JobProgressSchema,
  error: ErrorBodySchema.nullable(),
  executor: z.string(),
  worker_pid: z.number().int().nullable(),
  output_dir: z.string(),
  output_model_id: z.string().nullable(),
  last_checkpoint: z.object({ step: z.number().int(), path: z.string() }).nullable(),
  resumable: z.boolean(),
  attempts: z.number().int(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const MetricPointSchema = z.object({ step: z.number().int(), name: z.string(), value: z.number(), time: z.string() });
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const JobLogSchema = z.object({ seq: z.number().int(), time: z.string(), level: z.string(), message: z.string() });
export type JobLog = z.infer<typeof JobLogSchema>;

export const CheckpointSchema = z.object({ step: z.number().int(), path: z.string(), created_at: z.string() });
