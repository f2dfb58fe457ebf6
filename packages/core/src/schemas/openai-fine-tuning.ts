import { z } from 'zod';
import { BudgetSchema, HyperparametersInputSchema, TUNINGS } from './hyperparameters.ts';

/**
 * OpenAI's fine-tuning API as Whetstone serves it under /v1 (files, fine_tuning/jobs, events,
 * checkpoints): the request bodies it takes, with OpenAI's limits, and the objects it answers.
 * A file is a dataset, a fine-tuning job is a job, a checkpoint is a checkpoint.
 */

const auto = z.literal('auto');
const orAuto = <T extends z.ZodTypeAny>(s: T) => z.union([auto, s]);

/** OpenAI's limits: n_epochs 1-50, batch_size 1-256, beta in (0, 2]. */
export const OpenAiHyperparametersSchema = z
  .object({
    n_epochs: orAuto(z.number().int().min(1).max(50)).describe('Passes over the training file (1-50); "auto" picks by its size.'),
    batch_size: orAuto(z.number().int().min(1).max(256)).describe('Samples per step (1-256).'),
    learning_rate_multiplier: orAuto(z.number().positive().max(10)).describe("Scales Whetstone's auto learning rate (chosen by model size and tuning)."),
  })
  .partial()
  .strict();

export const OpenAiDpoHyperparametersSchema = OpenAiHyperparametersSchema.extend({
  beta: orAuto(z.number().gt(0).max(2)).describe('How far the model may move from the reference, in (0, 2]; "auto": 0.1.'),
})
  .partial()
  .strict();

/**
 * Native options OpenAI has no name for, in an extra object `whetstone` (the official SDKs send it
 * with `extra_body`, or as a plain field from JavaScript). Left out, the auto recipe decides.
 * Epochs, batch size, beta and seed keep their OpenAI names only.
 */
export const WhetstoneJobOptionsSchema = HyperparametersInputSchema.omit({ epochs: true, batch_size: true, beta: true, seed: true })
  .extend({
    tuning: z.enum(TUNINGS).describe('lora (default), dora, qlora, full, freeze, ptuning or prefix.'),
    budget: BudgetSchema.describe('Train for this many minutes or tokens; the schedule is planned to end there.'),
    validation_split: z.union([auto, z.number().min(0).max(0.5)]).describe('Share held out for validation when no validation_file is given.'),
    drop_truncated: z.boolean().describe('Leave out samples whose answer max_seq_len would cut.'),
  })
  .partial()
  .strict();
export type WhetstoneJobOptions = z.infer<typeof WhetstoneJobOptionsSchema>;

const MetadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, { message: 'give at most 16 metadata pairs' })
  .describe('Up to 16 key-value pairs (keys up to 64 characters, values up to 512); list jobs by them with ?metadata[key]=value.');

export const OPENAI_METHOD_TYPES = ['supervised', 'dpo'] as const;

export const FineTuningJobCreateSchema = z
  .object({
    model: z.string().min(1).describe('The base model: a registered model\'s name or id (GET /v1/models).'),
    training_file: z.string().min(1).describe('A file id from POST /v1/files.'),
    validation_file: z.string().min(1).nullable().optional(),
    suffix: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^:\s]+$/, 'the suffix cannot hold ":" or spaces (it becomes part of the model name ft:<base>:<owner>:<suffix>:<job id>)')
      .nullable()
      .optional()
      .describe('Up to 64 characters, in the fine-tuned model\'s name.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).nullable().optional(),
    metadata: MetadataSchema.nullable().optional(),
    hyperparameters: OpenAiHyperparametersSchema.optional().describe('The older place for the supervised hyperparameters; method is the newer one.'),
    method: z
      .object({
        type: z.enum(OPENAI_METHOD_TYPES, { message: 'method.type must be "supervised" or "dpo" (reinforcement fine-tuning is not supported)' }),
        supervised: z.object({ hyperparameters: OpenAiHyperparametersSchema.optional() }).strict().optional(),
        dpo: z.object({ hyperparameters: OpenAiDpoHyperparametersSchema.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    integrations: z.array(z.unknown()).max(0, { message: 'integrations (Weights & Biases) are not supported; leave them out' }).nullable().optional(),
    whetstone: WhetstoneJobOptionsSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const type = b.method?.type ?? 'supervised';
    if (b.method && b.method[type === 'supervised' ? 'dpo' : 'supervised'] !== undefined) {
      const other = type === 'supervised' ? 'dpo' : 'supervised';
      ctx.addIssue({ code: 'custom', path: ['method', other], message: `method.${other} is given but method.type is "${type}"; give method.${type} instead` });
    }
    if (b.hyperparameters && b.method?.[type]?.hyperparameters) {
      ctx.addIssue({ code: 'custom', path: ['hyperparameters'], message: `give the hyperparameters once: in method.${type}.hyperparameters (the top-level hyperparameters are the older place)` });
    }
  });
export type FineTuningJobCreate = z.infer<typeof FineTuningJobCreateSchema>;

// ---------- answers ----------
const unix = z.number().int().describe('Unix time, seconds.');

export const OpenAiFileSchema = z.object({
  id: z.string(),
  object: z.literal('file'),
  bytes: z.number().int(),
  created_at: unix,
  filename: z.string(),
  purpose: z.enum(['fine-tune', 'fine-tune-results']),
  status: z.enum(['uploaded', 'processed', 'error']).describe('uploaded: still being validated; processed: ready; error: see status_details.'),
  status_details: z.string().nullable(),
  expires_at: z.null(),
});
export type OpenAiFile = z.infer<typeof OpenAiFileSchema>;

export const OPENAI_JOB_STATUSES = ['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'paused'] as const;

const ReportedHyperparametersSchema = z.object({
  n_epochs: z.number(),
  batch_size: z.number().int(),
  learning_rate_multiplier: z.number(),
  beta: z.number().optional(),
});

export const FineTuningJobObjectSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job'),
  created_at: unix,
  finished_at: unix.nullable(),
  model: z.string(),
  fine_tuned_model: z.string().nullable().describe('ft:<base>:<owner>:<suffix>:<job id> once succeeded; callable at /v1/chat/completions.'),
  organization_id: z.string(),
  status: z.enum(OPENAI_JOB_STATUSES).describe('OpenAI\'s statuses, plus "paused" for a paused job (resume it with POST .../resume).'),
  training_file: z.string(),
  validation_file: z.string().nullable(),
  hyperparameters: ReportedHyperparametersSchema,
  method: z.object({ type: z.string() }).loose(),
  result_files: z.array(z.string()),
  trained_tokens: z.number().int().nullable(),
  error: z.object({ code: z.string(), message: z.string(), param: z.string().nullable() }).nullable(),
  seed: z.number().int(),
  estimated_finish: unix.nullable(),
  integrations: z.null(),
  metadata: z.record(z.string(), z.string()).nullable(),
  user_provided_suffix: z.string().nullable(),
  whetstone: z.object({ status: z.string(), method: z.string(), tuning: z.string(), progress: z.unknown() }).loose().describe('The native job: its own status, method, tuning and progress.'),
});
export type FineTuningJobObject = z.infer<typeof FineTuningJobObjectSchema>;

export const FineTuningEventSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job.event'),
  created_at: unix,
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  type: z.enum(['message', 'metrics']),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type FineTuningEvent = z.infer<typeof FineTuningEventSchema>;

export const FineTuningCheckpointMetricsSchema = z.object({
  step: z.number().int(),
  train_loss: z.number().nullable(),
  train_mean_token_accuracy: z.number().nullable(),
  valid_loss: z.number().nullable(),
  valid_mean_token_accuracy: z.number().nullable(),
  full_valid_loss: z.number().nullable(),
  full_valid_mean_token_accuracy: z.number().nullable(),
});

export const FineTuningCheckpointSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job.checkpoint'),
  created_at: unix,
  fine_tuned_model_checkpoint: z.string().describe('<job\'s model name>:ckpt-step-N, callable at /v1/chat/completions.'),
  fine_tuning_job_id: z.string(),
  step_number: z.number().int(),
  metrics: FineTuningCheckpointMetricsSchema,
});
export type FineTuningCheckpoint = z.infer<typeof FineTuningCheckpointSchema>;

/** OpenAI's cursor page: `after` the last id seen, `has_more` while there is more. */
export const openAiPage = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), first_id: z.string().nullable().optional(), last_id: z.string().nullable().optional() });
