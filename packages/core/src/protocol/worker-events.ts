import { z } from 'zod';
import { ReadyEventSchema } from './generation.ts';

/**
 * The worker → server protocol: one JSON object per line on the worker's stdout, each with
 * `type`. Version 1. Objects are loose so a newer worker may add fields without breaking an
 * older server; a line that is not an event is kept as a log line.
 */
export const PROTOCOL_VERSION = 1;

const num = z.number();
const nnum = z.number().nullable();

export const StartedEventSchema = z.looseObject({
  type: z.literal('started'),
  pid: z.number().int(),
  device: z.string(),
  resumed_from_step: z.number().int().nullable(),
});

/** What the run will do, once data and model are built. */
export const PlanEventSchema = z.looseObject({
  type: z.literal('plan'),
  total_steps: z.number().int(),
  epochs: num,
  steps_per_epoch: z.number().int(),
  train_samples: z.number().int(),
  eval_samples: z.number().int(),
  trainable_params: z.number().int(),
  total_params: z.number().int(),
  /** Absent on the first plan; "measured" once the first steps are timed, "budget" when a budget re-planned the steps. */
  reason: z.enum(['initial', 'measured', 'budget']).optional(),
  /** Seconds per optimizer step measured so far, and the training time the plan still needs. */
  seconds_per_step: nnum.optional(),
  estimated_seconds: nnum.optional(),
  budget: z.looseObject({ minutes: num.optional(), tokens: num.optional(), used_seconds: num, used_tokens: num }).nullable().optional(),
  /** The first plan: the dtype the base model computes in (float32, bfloat16, ...), and why. */
  dtype: z.string().optional(),
  dtype_reason: z.string().optional(),
});

/** One learning-rate trial of `lr_search`: a few steps on a slice of the data, then its eval loss. */
export const TrialEventSchema = z.looseObject({
  type: z.literal('trial'),
  index: z.number().int(),
  of: z.number().int(),
  learning_rate: num,
  steps: z.number().int(),
  train_loss: nnum,
  eval_loss: nnum,
});

export const ProgressEventSchema = z.looseObject({
  type: z.literal('progress'),
  step: z.number().int(),
  total_steps: z.number().int(),
  epoch: num,
  loss: num,
  learning_rate: num,
  grad_norm: nnum,
  tokens_per_sec: nnum,
  /** Non-padding training tokens so far. */
  tokens_seen: z.number().int().optional(),
  /** dpo, orpo: the step's preference metrics. */
  preference: z.lazy(() => PreferenceMetricsSchema).nullable().optional(),
  /** sft: the share of target tokens the model ranked first over the logging interval (0 to 1). */
  mean_token_accuracy: nnum.optional(),
});

/**
 * Preference learning's signals (TRL's rewards/*): the implicit rewards of the chosen and the
 * rejected answers (beta x the policy's log-probability ratio to the reference; ORPO: beta x the
 * answer's average log-probability), their mean margin, and the share of pairs whose chosen
 * answer is rewarded above the rejected one (preference accuracy, 0 to 1).
 */
export const PreferenceMetricsSchema = z.looseObject({
  chosen: num,
  rejected: num,
  margin: num,
  accuracy: num,
});
export type PreferenceMetrics = z.infer<typeof PreferenceMetricsSchema>;

export const EvalEventSchema = z.looseObject({
  type: z.literal('eval'),
  step: z.number().int(),
  epoch: nnum,
  eval_loss: num,
  /** pretrain: exp(eval_loss), the held-out perplexity per token. */
  perplexity: nnum.optional(),
  /** dpo, orpo: the preference metrics on the held-out pairs. */
  preference: z.lazy(() => PreferenceMetricsSchema).nullable().optional(),
  /** sft: the share of held-out target tokens the model ranks first (0 to 1). */
  mean_token_accuracy: nnum.optional(),
});

export const CheckpointEventSchema = z.looseObject({
  type: z.literal('checkpoint'),
  step: z.number().int(),
  path: z.string(),
});

export const LogEventSchema = z.looseObject({
  type: z.literal('log'),
  level: z.enum(['debug', 'info', 'warning', 'error']),
  message: z.string(),
});

export const ErrorEventSchema = z.looseObject({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  hint: z.string().nullable().optional(),
  /** The process that failed, in a run of several (its global rank); absent for one process. */
  rank: z.number().int().min(0).optional(),
  /** "launcher": torch's launcher reporting a rank that ended without its own error event (killed, crashed), or a failed rendezvous. */
  source: z.enum(['worker', 'launcher']).optional(),
});

/** The worker stopped on SIGTERM after saving a checkpoint (pause and cancel). */
export const StoppedEventSchema = z.looseObject({
  type: z.literal('stopped'),
  step: z.number().int(),
  checkpoint: z.string().nullable(),
});

/** Early stopping ended the run: where, and the best step whose model is the result. */
export const StoppedEarlySchema = z.looseObject({
  step: z.number().int(),
  best_step: z.number().int().nullable(),
  best_eval_loss: nnum,
  patience: z.number().int(),
  planned_steps: z.number().int().optional(),
});
export type StoppedEarly = z.infer<typeof StoppedEarlySchema>;

export const ResultEventSchema = z.looseObject({
  type: z.literal('result'),
  output_path: z.string().describe('The final adapter (lora) or full weights folder.'),
  kind: z.enum(['adapter', 'full']),
  steps: z.number().int(),
  final_loss: nnum,
  train_runtime_s: num,
  trainable_params: z.number().int(),
  total_params: z.number().int(),
  /** Budget runs: the result is the checkpoint with the lowest eval loss. */
  best_step: z.number().int().nullable().optional(),
  best_eval_loss: nnum.optional(),
  train_tokens: z.number().int().nullable().optional(),
  stopped_early: StoppedEarlySchema.nullable().optional(),
  /** pretrain: held-out perplexity before training (step 0) and of the result model. */
  perplexity: z.looseObject({ before: nnum, after: nnum }).nullable().optional(),
  /** dpo, orpo: the held-out preference metrics before training (step 0) and of the result model. */
  preference: z
    .looseObject({ before: z.lazy(() => PreferenceMetricsSchema).nullable(), after: z.lazy(() => PreferenceMetricsSchema).nullable() })
    .nullable()
    .optional(),
});

/** `export` finished: what was written where. */
export const ExportedEventSchema = z.looseObject({
  type: z.literal('exported'),
  output_path: z.string(),
  format: z.enum(['peft', 'merged', 'gguf']),
  quantization: z.string().nullable(),
  size_bytes: z.number().int(),
  export_runtime_s: num,
});

/** `generate`: rows done so far (after each batch), with the decoding speed. */
export const GenerateProgressEventSchema = z.looseObject({
  type: z.literal('generate_progress'),
  done: z.number().int(),
  total: z.number().int(),
  completion_tokens: z.number().int(),
  tokens_per_sec: nnum,
  elapsed_s: num,
});

/** `generate` finished: every row's prediction is in output_path. */
export const GeneratedEventSchema = z.looseObject({
  type: z.literal('generated'),
  output_path: z.string(),
  rows: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  generate_runtime_s: num,
  tokens_per_sec: nnum,
});

/** `score-choices`: questions scored so far (after each batch). */
export const ChoicesProgressEventSchema = z.looseObject({
  type: z.literal('choices_progress'),
  done: z.number().int(),
  total: z.number().int(),
  questions_per_sec: nnum,
  elapsed_s: num,
});

/** `score-choices` finished: every question's log-likelihoods are in output_path. */
export const ChoicesScoredEventSchema = z.looseObject({
  type: z.literal('choices_scored'),
  output_path: z.string(),
  questions: z.number().int(),
  acc: num,
  acc_norm: num,
  score_runtime_s: num,
  questions_per_sec: nnum,
});

export const WorkerEventSchema = z.discriminatedUnion('type', [
  StartedEventSchema,
  PlanEventSchema,
  ProgressEventSchema,
  EvalEventSchema,
  CheckpointEventSchema,
  LogEventSchema,
  ErrorEventSchema,
  StoppedEventSchema,
  ResultEventSchema,
  ReadyEventSchema,
  ExportedEventSchema,
  TrialEventSchema,
  GenerateProgressEventSchema,
  GeneratedEventSchema,
  ChoicesProgressEventSchema,
  ChoicesScoredEventSchema,
]);
export type WorkerEvent = z.infer<typeof WorkerEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type WorkerEventType = WorkerEvent['type'];

/** Parse one stdout line; anything that is not a valid event becomes a log line. */
export function parseWorkerLine(line: string): WorkerEvent {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = WorkerEventSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: not JSON
    }
  }
  return { type: 'log', level: 'info', message: text };
}

/** What the server fans out over SSE: a stored worker event or a status change, with a sequence number. */
export const JobStreamEventSchema = z.looseObject({
  seq: z.number().int(),
  time: z.string(),
  type: z.string(),
});
export type JobStreamEvent = z.infer<typeof JobStreamEventSchema>;
