import { z } from 'zod';
import { EvaluationJudgeSchema, JudgeResultSchema, SampleJudgeSchema } from './judge.ts';

const constrainToLabels = z
  .boolean()
  .optional()
  .describe("Constrain this column's answers to the evaluation's `labels` (decoding restricted to their token sequences), so every answer is a label.");

/** One model column of an evaluation. */
export const EvaluationModelRefSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('model'),
      model_id: z.string().min(1).describe('A registered model by id or name: a base model, or a job result (adapter).'),
      label: z.string().min(1).max(100).optional(),
      few_shot: z.number().int().min(0).max(32).default(0).describe('k examples from the few-shot data put in the prompt (the prompting baseline).'),
      constrain_to_labels: constrainToLabels,
    })
    .strict(),
  z
    .object({
      kind: z.literal('job'),
      job_id: z.string().min(1),
      checkpoint_step: z.number().int().min(1).optional().describe('One of the job\'s checkpoints; absent = its final result.'),
      label: z.string().min(1).max(100).optional(),
      few_shot: z.number().int().min(0).max(32).default(0),
      constrain_to_labels: constrainToLabels,
    })
    .strict(),
  z
    .object({
      kind: z.literal('endpoint'),
      connection: z.string().min(1).describe('An outside OpenAI-compatible endpoint an admin configured (GET /api/v1/connections), by name or id.'),
      model: z.string().min(1).optional().describe("The endpoint's model name (default: the connection's model)."),
      label: z.string().min(1).max(100).optional(),
      few_shot: z.number().int().min(0).max(32).default(0),
      timeout_s: z.number().min(1).max(600).default(60),
      concurrency: z.number().int().min(1).max(64).default(4).describe('Requests in flight at once to this endpoint.'),
    })
    .strict(),
]);
export type EvaluationModelRef = z.infer<typeof EvaluationModelRefSchema>;

export const EvaluationGenerationSchema = z
  .object({
    max_tokens: z.number().int().min(1).max(4096).default(256),
    temperature: z.number().min(0).max(2).default(0),
    top_p: z.number().gt(0).max(1).default(1),
    seed: z.number().int().default(0),
  })
  .strict();

export const EvaluationCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    dataset_id: z.string().min(1).optional().describe('The test set: each row\'s last assistant message is the reference.'),
    job_id: z.string().min(1).optional().describe('Use the held-out test (else validation) split of this job\'s data as the test set.'),
    few_shot_dataset_id: z.string().min(1).optional().describe('Where few-shot examples come from (default: the job\'s training data when job_id is given).'),
    models: z.array(EvaluationModelRefSchema).min(1).max(8),
    baseline: z.number().int().min(0).default(0).describe('Index in `models` of the column deltas are computed against.'),
    generation: EvaluationGenerationSchema.default({ max_tokens: 256, temperature: 0, top_p: 1, seed: 0 }),
    limit: z.number().int().min(1).optional().describe('Evaluate the first N rows only.'),
    labels: z
      .array(z.string().min(1))
      .min(2)
      .optional()
      .describe('A classification task\'s label set: each answer is mapped to the label it names; label accuracy, per-label precision, recall and F1, macro-F1 and a confusion matrix are reported.'),
    batch_size: z.number().int().min(1).max(256).default(16),
    judge: EvaluationJudgeSchema.optional().describe("After the columns answer, a judge model grades them: a 1-10 score per answer, or pairwise win rates."),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.dataset_id === !b.job_id) ctx.addIssue({ code: 'custom', message: 'give exactly one of "dataset_id" or "job_id"', path: ['dataset_id'] });
    if (b.baseline >= b.models.length) ctx.addIssue({ code: 'custom', message: `baseline ${b.baseline} is not an index of models (0..${b.models.length - 1})`, path: ['baseline'] });
    b.models.forEach((m, i) => {
      if ('constrain_to_labels' in m && m.constrain_to_labels && !b.labels) {
        ctx.addIssue({ code: 'custom', message: 'constrain_to_labels needs the evaluation\'s "labels" (the label set to constrain to)', path: ['models', i, 'constrain_to_labels'] });
      }
    });
  })
  // The same rules in the JSON Schema (and so the OpenAPI document): one test set, a baseline
  // below the number of models (spelled out for each of the at most 8 models), and no column
  // constrained to labels unless the evaluation gives them.
  .meta({
    oneOf: [{ required: ['dataset_id'] }, { required: ['job_id'] }],
    anyOf: Array.from({ length: 8 }, (_, k) => ({ properties: { baseline: { maximum: k }, models: { minItems: k + 1 } } })),
    allOf: [
      {
        anyOf: [
          { required: ['labels'] },
          { properties: { models: { items: { not: { required: ['constrain_to_labels'], properties: { constrain_to_labels: { const: true } } } } } } },
        ],
      },
    ],
  });
export type EvaluationCreate = z.infer<typeof EvaluationCreateSchema>;
export type EvaluationCreateInput = z.input<typeof EvaluationCreateSchema>;

export const EVALUATION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];
/** The statuses an evaluation (or a column, or a judge) ends in: nothing more happens to it. */
export const EVALUATION_FINISHED_STATUSES: readonly EvaluationStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isEvaluationFinished = (status: string | undefined): boolean => (EVALUATION_FINISHED_STATUSES as readonly string[]).includes(status ?? '');
export const METRIC_NAMES = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'sacrebleu-13a', 'sacrebleu-zh', 'exact_match'] as const;
const Metrics = z.object(Object.fromEntries(METRIC_NAMES.map((k) => [k, z.number()])) as Record<(typeof METRIC_NAMES)[number], z.ZodNumber>);
const ErrorBody = z.object({ code: z.string(), message: z.string(), hint: z.string() });

/** One label's scores (each 0 to 100); support = how many references carry it. */
export const LabelScoreSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});
export type LabelScore = z.infer<typeof LabelScoreSchema>;

/** Per-label precision, recall and F1, their averages and the confusion matrix of a labelled column. */
export const LabelMetricsSchema = z.object({
  labels: z.array(z.string()).describe('The label set, in the order of `per_label` and of the confusion rows and columns.'),
  per_label: z.array(LabelScoreSchema),
  macro_f1: z.number().describe('Unweighted mean F1 (0 to 100) over the labels that occur in the references or the answers.'),
  weighted_f1: z.number().describe('Mean F1 (0 to 100) weighted by support.'),
  confusion: z
    .array(z.array(z.number().int()))
    .describe('Row i = reference label i; column j = answers mapped to label j, then one last column of invalid answers (that named no label). The cells sum to the rows scored.'),
});
export type LabelMetrics = z.infer<typeof LabelMetricsSchema>;

/** How many test prompts also appear in the training data of the job a column's model came from. */
export const TrainingOverlapSchema = z.object({
  job_id: z.string(),
  exact: z.number().int().describe('Test rows whose prompt (user turns) equals a training row\'s, character for character.'),
  normalized: z.number().int().describe('Test rows whose prompt equals a training row\'s once case, width, spacing and punctuation are ignored (the exact ones included).'),
  test_rows: z.number().int(),
});
export type TrainingOverlap = z.infer<typeof TrainingOverlapSchema>;

export const EvaluationColumnSchema = z.object({
  label: z.string(),
  ref: EvaluationModelRefSchema,
  status: z.enum(EVALUATION_STATUSES),
  error: ErrorBody.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  /** Over the rows that produced an answer; rows that failed (context too long, endpoint error) count as empty answers. */
  metrics: Metrics.nullable(),
  /** metrics minus the baseline column's. */
  deltas: Metrics.nullable(),
  failed_rows: z.number().int(),
  tokens_per_sec: z.number().nullable(),
  /** With a label set: accuracy (0 to 100) after mapping each answer to the label it names; `invalid` answers named none. */
  label_accuracy: z.object({ accuracy: z.number(), correct: z.number().int(), total: z.number().int(), invalid: z.number().int() }).nullable().optional(),
  /** With a label set: per-label precision, recall, F1, macro- and weighted-F1 and the confusion matrix. */
  label_metrics: LabelMetricsSchema.nullable().optional(),
  /** For a job's result: test rows whose prompt is in that job's training data (those scores measure memory). Null for other models. */
  overlap: TrainingOverlapSchema.nullable().optional(),
  worker_pid: z.number().int().nullable().optional().describe("The generation worker's process id while this column runs on it; null otherwise."),
});
export type EvaluationColumn = z.infer<typeof EvaluationColumnSchema>;

export const EvaluationSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  error: ErrorBody.nullable(),
  dataset: z.object({ source: z.enum(['dataset', 'job']), id: z.string(), path: z.string(), rows: z.number().int() }),
  request: z.unknown(),
  baseline: z.number().int(),
  models: z.array(EvaluationColumnSchema),
  /** With a judge: its scores or win rates (null or absent without one). */
  judge: JudgeResultSchema.nullable().optional(),
  cancelled: z
    .object({
      by: z.string().describe('Who asked: the API key (name and id), an operator key, or the local user of a server without keys.'),
      at: z.string(),
      what: z.enum(['evaluation', 'judge']).describe('"judge": only a judge pass over a finished evaluation was cancelled; its answers and scores stand.'),
    })
    .nullable()
    .optional()
    .describe('The cancel request (POST /evaluations/{id}/cancel), absent when none was made.'),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** One row of `GET /evaluations/:id/samples`: the prompt, the reference, and each column's answer and scores. */
export const EvaluationSampleSchema = z.object({
  index: z.number().int(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  reference: z.string(),
  outputs: z.array(
    z.object({
      label: z.string(),
      prediction: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
      scores: z.object({ 'bleu-4': z.number(), 'rouge-1': z.number(), 'rouge-2': z.number(), 'rouge-l': z.number(), exact_match: z.number() }).nullable(),
    }),
  ),
  /** The columns' bleu-4 spread (max - min): high where models disagree. */
  disagreement: z.number(),
  /** With a judge: its verdicts and reasons for this row. */
  judge: SampleJudgeSchema.optional(),
});
export type EvaluationSample = z.infer<typeof EvaluationSampleSchema>;
