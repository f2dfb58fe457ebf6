import { z } from 'zod';
import { BudgetSchema, HyperparametersInputSchema, METHODS, ResolvedValueSchema, TUNINGS } from './hyperparameters.ts';
import { MessageSchema } from './conversation.ts';
import { exactlyOneOf } from './exactly-one-of.ts';
import { DOCUMENTED_FIELD_RULES, refuseFieldsThatDoNotApply } from './field-applies.ts';
import { LabelSetSchema } from './label-set.ts';
import { ResourcesInputSchema, ResourcesSchema } from './resources.ts';

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
  checkpoint_step: z.number().int().nullable().optional().describe('For a model registered from a job checkpoint: its step (the files are a copy in the model store).'),
  label_set: LabelSetSchema.nullable().optional().describe("For a job's result trained on a labelling set: the labels it learned (serving may constrain answers to them)."),
  created_at: z.string(),
});
export type Model = z.infer<typeof ModelSchema>;

export const ModelCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    path: z
      .string()
      .min(1)
      .optional()
      .meta({ pattern: '^/' }) // absolute: the server checks it (MODEL_PATH_INVALID), the document says it
      .describe('A local Hugging Face model folder (absolute, inside WHET_MODEL_ROOTS: by default the state folder and the demo model cache).'),
    hub_id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'give a model id of the form owner/name') // ASCII letters, digits, _ . -
      .optional()
      .describe('A model id to download, e.g. "HuggingFaceTB/SmolLM2-135M-Instruct".'),
    source: z.enum(['hub', 'modelscope']).optional().describe('Where hub_id lives (default hub).'),
    revision: z.string().min(1).optional(),
  })
  .strict()
  .apply(exactlyOneOf, ['path', 'hub_id'] as const);
export type ModelCreate = z.infer<typeof ModelCreateSchema>;

/** GET /api/v1/models/:id/chat-template: the Jinja template the model's tokenizer applies to chats. */
export const ModelChatTemplateSchema = z.object({
  model_id: z.string(),
  template: z.string().nullable().describe('null: the model has no chat template (plain text prompts only).'),
  file: z.string().nullable().describe('Where it was read: chat_template.jinja, chat_template.json or tokenizer_config.json (an adapter without its own reads its base model\'s).'),
});
export type ModelChatTemplate = z.infer<typeof ModelChatTemplateSchema>;

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
  label_set: LabelSetSchema.nullable().optional().describe('Detected at upload when the answers come from a small closed set (a labelling dataset); null otherwise.'),
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
    datasets: z
      .array(DatasetMixEntrySchema)
      .min(1)
      .max(32)
      .optional()
      .describe('A mix of datasets: each with a weight (share relative to the others, e.g. 1 and 0.2) or an exact number of samples; drawn with the job\'s seed.'),
    validation_dataset: z.string().min(1).optional(),
    validation_split: z
      .union([z.literal('auto'), z.number().min(0).max(0.5)])
      .optional()
      .describe('Share of the training data held out for validation when no validation_dataset is given; "auto" (default): 10% (at least 4, at most 1,000 rows) from 20 rows up, none below; 0: no validation, so no early stopping.'),
    test_split: z.number().min(0).max(0.5).optional().describe('Share held out as a test set for evaluation (never trained on); stored with the job.'),
    dedup: z.enum(['exact', 'normalized']).optional().describe('Drop repeated samples before splitting: "exact" rows, or "normalized" (case, width, spacing, punctuation ignored).'),
    method: z.enum(METHODS).default('sft'),
    tuning: z.enum(TUNINGS).default('lora'),
    hyperparameters: z.union([z.literal('auto'), HyperparametersInputSchema]).default('auto'),
    budget: BudgetSchema.optional().describe('Train for this long (minutes of training, pauses excluded) or this many tokens; the schedule is planned to end there.'),
    drop_truncated: z.boolean().optional().describe('Drop the samples whose answer max_seq_len would cut (default: keep them truncated and report their lines).'),
    resources: ResourcesInputSchema.optional().describe('Where the job trains: the executor, its processes and GPUs; each field left out takes the server\'s setting (one local process by default).'),
  })
  .strict()
  .apply(exactlyOneOf, ['dataset', 'datasets'] as const)
  .superRefine(refuseFieldsThatDoNotApply)
  .meta({ allOf: DOCUMENTED_FIELD_RULES });
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

/** The data a job trains on when it mixes, de-duplicates or splits: what was drawn from where. */
export const JobDataMixSchema = z.object({
  seed: z.number().int(),
  sources: z.array(
    z.object({
      dataset_id: z.string(),
      name: z.string(),
      weight: z.number().nullable(),
      samples: z.number().int().nullable(),
      available: z.number().int().describe('Rows in the dataset.'),
      taken: z.number().int().describe('Rows drawn into the mix.'),
      share: z.number().describe('taken / rows of the mix.'),
      repeated: z.boolean().describe('Rows were repeated to reach `taken`.'),
    }),
  ),
  rows: z.number().int().describe('Rows of the mix before de-duplication and splits.'),
  duplicates_removed: z.number().int(),
  dedup: z.enum(['exact', 'normalized']).nullable(),
  train: z.number().int(),
  validation: z.number().int(),
  test: z.number().int(),
  validation_source: z.enum(['dataset', 'split', 'none']),
  stratified_by: z.enum(['label']).nullable().optional().describe('"label": the data is a labelling set, so validation and test keep each label\'s share; null: rows drawn at random.'),
  paths: z.object({ train: z.string(), validation: z.string().nullable(), test: z.string().nullable() }),
});
export type JobDataMix = z.infer<typeof JobDataMixSchema>;

export const JobSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(JOB_STATUSES),
  method: z.enum(METHODS),
  tuning: z.enum(TUNINGS),
  model_id: z.string(),
  dataset_id: z.string(),
  validation_dataset_id: z.string().nullable(),
  data_mix: JobDataMixSchema
    .nullable()
    .optional()
    .describe('The training data prepared for the job (mix, de-duplication, splits); null when the dataset is used as uploaded.'),
  label_set: LabelSetSchema.nullable().optional().describe('The labels of the training rows when they are a labelling set (the model registered from the job keeps them); null otherwise.'),
  request: z.unknown().describe('The body the job was created with.'),
  hyperparameters: z.record(z.string(), z.unknown()).describe('Resolved values.'),
  resolved: z.record(z.string(), ResolvedValueSchema).describe('Each resolved value with its reason.'),
  progress: JobProgressSchema,
  error: ErrorBodySchema.nullable(),
  executor: z.string(),
  resources: ResourcesSchema.optional().describe('Where the job trains, every field decided; absent on jobs from before executors could be chosen (one local process).'),
  worker_pid: z.number().int().nullable(),
  output_dir: z.string(),
  output_model_id: z.string().nullable(),
  last_checkpoint: z.object({ step: z.number().int(), path: z.string() }).nullable(),
  resumable: z.boolean(),
  attempts: z.number().int(),
  queue_position: z.number().int().min(1).nullable().describe('Place in the queue (1 runs next) while queued; null otherwise.'),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const MetricPointSchema = z.object({ step: z.number().int(), name: z.string(), value: z.number(), time: z.string() });
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const JobLogSchema = z.object({ seq: z.number().int(), time: z.string(), level: z.string(), message: z.string() });
export type JobLog = z.infer<typeof JobLogSchema>;

/** GET /api/v1/jobs/:id/checkpoints: one saved checkpoint (no server path: register it as a model to use it). */
export const CheckpointSchema = z.object({
  step: z.number().int(),
  created_at: z.string().describe('When the checkpoint was written.'),
  loss: z.number().nullable().describe('Training loss logged at this step, or at the nearest step before it; null when none was.'),
  eval_loss: z.number().nullable().describe('Validation loss at this step or the nearest evaluation before it; null when none was.'),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** POST /api/v1/jobs/:id/checkpoints/:step/model: register one checkpoint as a model. */
export const CheckpointModelCreateSchema = z
  .object({ name: z.string().min(1).max(200).optional().describe('The model name (default "<job name>-step-<N>").') })
  .strict();
export type CheckpointModelCreate = z.infer<typeof CheckpointModelCreateSchema>;

// ---------- tokens ----------
export const TokenCountRequestSchema = z
  .object({
    model: z.string().min(1).describe('Model id or name: its own tokenizer counts.'),
    text: z.string().max(8_000_000).optional(),
    messages: z.array(MessageSchema).min(1).max(10_000).optional().describe('A chat, counted as the model\'s chat template renders it.'),
    add_special_tokens: z.boolean().optional().describe('For text: add what the tokenizer adds around a sequence (BOS/EOS). Default false.'),
    add_generation_prompt: z.boolean().optional().describe('For messages: end with the assistant header, as at inference. Default false.'),
    return_tokens: z.boolean().optional().describe('Also return the token strings and ids (text only).'),
  })
  .strict()
  .apply(exactlyOneOf, ['text', 'messages'] as const);
export type TokenCountRequest = z.infer<typeof TokenCountRequestSchema>;

// ---------- documents into supervised data ----------
/** Fields sent with a .txt/.md/.pdf document (multipart) to draft question-answer pairs from it. */
export const QaDraftRequestSchema = z
  .object({
    connection: z
      .string()
      .min(1)
      .optional()
      .describe('Draft with an outside OpenAI-compatible endpoint an admin configured (GET /api/v1/connections), by name or id. Leave it out to draft with a model registered here, through the server\'s own gateway.'),
    model: z
      .string()
      .min(1)
      .optional()
      .describe('With connection: the endpoint\'s model name (default: the connection\'s model). Without: a registered model\'s id or name, or a deployment\'s name (anything GET /v1/models lists).'),
    chunk_chars: z.coerce.number().int().min(200).max(20_000).default(2000),
    pairs_per_chunk: z.coerce.number().int().min(1).max(20).default(3),
    max_chunks: z.coerce.number().int().min(1).max(1000).default(100).describe('Chunks sent to the model at most (the first ones).'),
    concurrency: z.coerce.number().int().min(1).max(16).default(2),
    temperature: z.coerce.number().min(0).max(2).optional().describe('Sampling temperature (default 0.3; 0 = greedy).'),
    max_tokens: z.coerce.number().int().min(1).max(32_768).optional().describe('Longest reply per chunk, in tokens (default: the model\'s).'),
  })
  .strict()
  .refine((b) => b.connection !== undefined || b.model !== undefined, { message: 'name a model (registered here) or a connection', path: ['model'] })
  .meta({ anyOf: [{ required: ['model'] }, { required: ['connection'] }] }); // the same rule, in the OpenAPI document
export type QaDraftRequest = z.infer<typeof QaDraftRequestSchema>;

/** Text with something besides whitespace; the pattern says in the OpenAPI document what trim + min(1) check. */
const nonBlank = z.string().trim().min(1).meta({ pattern: '[^\\s\\ufeff]' });

/** Reviewed question-answer pairs saved as a chat dataset. */
export const QaDatasetCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    system: z.string().optional().describe('A system prompt put before every pair.'),
    pairs: z.array(z.object({ question: nonBlank, answer: nonBlank }).loose()).min(1).max(200_000),
  })
  .strict();
export type QaDatasetCreate = z.infer<typeof QaDatasetCreateSchema>;
