import { z } from 'zod';
import { ErrorBodySchema } from './entities.ts';
import { MC_METHODS, MC_TEMPLATES } from './worker-score-choices-spec.ts';

/** POST /api/v1/benchmarks: several models ranked on one multiple-choice dataset. */
export const BenchmarkCreateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    dataset_id: z.string().min(1).describe('A multiple-choice dataset (MMLU, C-Eval, CMMLU or {question, choices, answer} rows).'),
    fewshot_dataset_id: z
      .string()
      .min(1)
      .optional()
      .describe("A dev set: each subject's first rows are its examples. Absent: each subject's first rows of the dataset itself (a question is never its own example)."),
    num_fewshot: z.number().int().min(0).max(5).default(0),
    models: z.array(z.string().min(1)).min(1).max(8).describe('Registered models by id or name: base models, fine-tuned results (adapters) or merged models.'),
    method: z.enum(MC_METHODS).default('loglikelihood').describe("loglikelihood: each choice's log-likelihood after the prompt, as lm-evaluation-harness; chat: the model's chat template, the letter it ranks highest (LLaMA-Factory's eval)."),
    template: z.enum(MC_TEMPLATES).optional().describe("The harness task whose prompt is used; default from the dataset's format (ceval, cmmlu; else mmlu)."),
    limit: z.number().int().min(1).optional().describe('Score only the first N questions.'),
    batch_size: z.number().int().min(1).max(256).default(16),
  })
  .strict();
export type BenchmarkCreate = z.infer<typeof BenchmarkCreateSchema>;

export const SubjectScoreSchema = z.object({
  subject: z.string().describe('"" for questions without a subject.'),
  questions: z.number().int(),
  acc: z.number(),
  acc_norm: z.number(),
});
export type SubjectScore = z.infer<typeof SubjectScoreSchema>;

export const BenchmarkModelSchema = z.object({
  model_id: z.string(),
  label: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  error: ErrorBodySchema.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  acc: z.number().nullable().describe('Share of questions whose highest-scored choice is the answer.'),
  acc_norm: z.number().nullable().describe("The same with each choice's log-likelihood divided by its length in characters."),
  subjects: z.array(SubjectScoreSchema),
  questions_per_sec: z.number().nullable(),
  runtime_s: z.number().nullable(),
});
export type BenchmarkModel = z.infer<typeof BenchmarkModelSchema>;

export const BenchmarkRankSchema = z.object({ rank: z.number().int(), label: z.string(), model_id: z.string(), acc: z.number(), acc_norm: z.number() });

export const BenchmarkSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  error: ErrorBodySchema.nullable(),
  dataset: z.object({ id: z.string(), format: z.string(), questions: z.number().int(), subjects: z.number().int() }),
  fewshot_dataset_id: z.string().nullable(),
  num_fewshot: z.number().int(),
  method: z.enum(MC_METHODS),
  batch_size: z.number().int(),
  template: z.enum(MC_TEMPLATES),
  models: z.array(BenchmarkModelSchema),
  ranking: z.array(BenchmarkRankSchema).describe('Finished models, best acc first (ties share a rank).'),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Benchmark = z.infer<typeof BenchmarkSchema>;

/** GET /api/v1/benchmarks/:id/questions: one question with every model's pick. */
export const BenchmarkQuestionSchema = z.object({
  index: z.number().int(),
  subject: z.string(),
  question: z.string(),
  choices: z.array(z.string()),
  answer: z.number().int(),
  picks: z.array(z.object({ label: z.string(), pred: z.number().int().nullable(), correct: z.boolean().nullable() })),
});
export type BenchmarkQuestion = z.infer<typeof BenchmarkQuestionSchema>;
