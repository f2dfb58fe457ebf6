import { z } from 'zod';

/**
 * Who judges: a registered model or a job's result (served on demand), a deployment, or an
 * outside OpenAI-compatible endpoint an admin configured (a connection, by name or id).
 */
export const JudgeModelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model'), model_id: z.string().min(1).describe('A registered model by id or name: a base model, or a job result (adapter).') }).strict(),
  z.object({ kind: z.literal('job'), job_id: z.string().min(1).describe("A job's result model.") }).strict(),
  z.object({ kind: z.literal('deployment'), deployment: z.string().min(1).describe('A deployment by name (GET /api/v1/deployments).') }).strict(),
  z
    .object({
      kind: z.literal('endpoint'),
      connection: z.string().min(1).describe('An outside OpenAI-compatible endpoint an admin configured (GET /api/v1/connections), by name or id.'),
      model: z.string().min(1).optional().describe("The endpoint's model name (default: the connection's model)."),
      timeout_s: z.number().min(1).max(600).default(120),
    })
    .strict(),
]);
export type JudgeModelRef = z.infer<typeof JudgeModelRefSchema>;

export const BUILT_IN_RUBRICS = ['helpfulness', 'correctness'] as const;
export type BuiltInRubric = (typeof BUILT_IN_RUBRICS)[number];

/** The user's own rubric: the judge's instruction in their words; one sentence asking for the verdict format is added. */
export const CustomRubricSchema = z
  .object({
    name: z.string().min(1).max(100),
    text: z.string().trim().min(1, 'the rubric text is empty').max(8000).describe('The instruction to the judge, e.g. "Judge whether the answer is polite and names the product." A sentence asking for the verdict format ("Rating: [[5]]" or "[[A]]"/"[[B]]"/"[[C]]") follows it.'),
    reference: z.boolean().default(false).describe("Show the judge the test set's reference answer too."),
  })
  .strict();

export const JudgeRubricSchema = z.union([
  z.enum(BUILT_IN_RUBRICS).describe('helpfulness (MT-Bench\'s general prompt) or correctness (the answer against the test set\'s reference).'),
  CustomRubricSchema,
]);
export type JudgeRubric = z.infer<typeof JudgeRubricSchema>;

export const JUDGE_MODES = ['single', 'pairwise'] as const;
export const JUDGE_LANGUAGES = ['auto', 'en', 'zh'] as const;

/** Grade the columns' answers with a judge model after they are generated (LLM-as-judge). */
export const EvaluationJudgeSchema = z
  .object({
    model: JudgeModelRefSchema,
    rubric: JudgeRubricSchema.default('helpfulness'),
    mode: z
      .enum(JUDGE_MODES)
      .default('single')
      .describe('single: a 1-10 score with a reason per sample and column; pairwise: two columns compared, judged in both orders (inconsistent verdicts count as ties).'),
    pairs: z
      .array(z.array(z.number().int().min(0)).length(2)) // not z.tuple: OpenAPI 3.1 has no array form of `items`
      .min(1)
      .max(28)
      .optional()
      .describe('pairwise: which columns to compare, as [a, b] indexes in `models` (default: every column against the baseline).'),
    language: z.enum(JUDGE_LANGUAGES).default('auto').describe('The language of the built-in rubric prompts; auto = Chinese when most test prompts are.'),
    max_tokens: z.number().int().min(1).max(4096).optional().describe("Per judgment (default 512; for a local judge at most half its context length, as /v1 does)."),
    constrain: z
      .boolean()
      .default(false)
      .describe('Decode only the verdict strings ("Rating: [[1]]" to "Rating: [[10]]", or "[[A]]", "[[B]]", "[[C]]"): for small local judges that do not follow the format; no reason is written then. Not for endpoints.'),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Judge requests in flight at once.'),
    bootstrap_resamples: z.number().int().min(100).max(100000).default(1000),
    seed: z.number().int().default(0).describe('Seeds the bootstrap intervals.'),
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.constrain && j.model.kind === 'endpoint') {
      ctx.addIssue({ code: 'custom', message: 'constrain works with local judges only (a model, job or deployment), not an endpoint', path: ['constrain'] });
    }
    if (j.pairs && j.mode !== 'pairwise') ctx.addIssue({ code: 'custom', message: 'pairs is for mode "pairwise"', path: ['pairs'] });
  })
  // The same rules in the JSON Schema: no constrained endpoint, and pairs only for pairwise. What
  // JSON Schema cannot say (pairs naming existing, distinct columns; two columns for pairwise) the
  // evaluation service checks against the columns (check-judge-columns.ts).
  .meta({
    allOf: [
      { not: { required: ['constrain'], properties: { constrain: { const: true }, model: { properties: { kind: { const: 'endpoint' } }, required: ['kind'] } } } },
      { anyOf: [{ not: { required: ['pairs'] } }, { required: ['mode'], properties: { mode: { const: 'pairwise' } } }] },
    ],
  });
export type EvaluationJudge = z.infer<typeof EvaluationJudgeSchema>;
export type EvaluationJudgeInput = z.input<typeof EvaluationJudgeSchema>;

const ErrorBody = z.object({ code: z.string(), message: z.string(), hint: z.string() });
const Interval = z.array(z.number()).length(2).describe('[low, high]: a 95% bootstrap percentile interval (seeded).');

/** Single-answer grading of one column. */
export const JudgeScoreSchema = z.object({
  label: z.string().describe('The column.'),
  mean_score: z.number().nullable().describe('Mean 1-10 score over the samples with a parsed verdict; null when none parsed.'),
  ci95: Interval.nullable(),
  scored: z.number().int(),
  unparseable: z.number().int().describe('Verdicts without a readable score (stored as the judge wrote them).'),
  failed: z.number().int().describe('Samples not judged: the column had no answer, or the judge request failed.'),
  mean_length_chars: z.number().describe("Mean answer length in characters (Unicode code points) of the column's answers."),
});
export type JudgeScore = z.infer<typeof JudgeScoreSchema>;

/** Pairwise comparison of column a against column b. */
export const JudgePairSchema = z.object({
  a: z.string(),
  b: z.string(),
  wins: z.number().int().describe('a named better in both orders.'),
  losses: z.number().int(),
  ties: z.number().int().describe('Ties, inconsistent verdicts included.'),
  inconsistent: z.number().int().describe('Samples whose two orders gave different verdicts (one may be a tie): counted as ties, MT-Bench\'s rule.'),
  invalid: z.number().int().describe('Samples left out: a verdict could not be read, a request failed, or an answer was missing.'),
  win_rate: z.number().nullable().describe("a's win rate, (wins + ties / 2) / judged, 0 to 1; null when nothing was judged."),
  ci95: Interval.nullable(),
  mean_length_chars: z.object({ a: z.number(), b: z.number() }).describe('Mean answer length in characters (Unicode code points), shown beside the win rate since judges favour longer answers.'),
});
export type JudgePair = z.infer<typeof JudgePairSchema>;

export const JudgeResultSchema = z.object({
  judge: z.string().describe('Who judged (model, deployment or endpoint model).'),
  request: EvaluationJudgeSchema.describe('The judge as asked, defaults filled in.'),
  mode: z.enum(JUDGE_MODES),
  rubric: z.string(),
  language: z.enum(['en', 'zh']),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  error: ErrorBody.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).describe('Judge requests made and to make.'),
  scores: z.array(JudgeScoreSchema).nullable(),
  pairs: z.array(JudgePairSchema).nullable(),
});
export type JudgeResult = z.infer<typeof JudgeResultSchema>;

export const VERDICTS = ['A', 'B', 'tie'] as const;

/** One judge request's outcome in the per-sample view: the judge's text as written and what was read from it. */
const JudgeCall = {
  judgment: z.string().nullable().describe('The judge\'s full answer, its reason included; null when the request failed.'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
};

export const SampleJudgeScoreSchema = z.object({
  label: z.string(),
  score: z.number().nullable().describe('null: unparseable verdict, failed request, or no answer to judge.'),
  ...JudgeCall,
});

export const SampleJudgeOrderSchema = z.object({
  first: z.string().describe('The column shown to the judge as assistant A in this order.'),
  verdict: z.enum(VERDICTS).nullable().describe('As the judge wrote it, about positions A and B; null when unreadable.'),
  ...JudgeCall,
});

export const SampleJudgePairSchema = z.object({
  a: z.string(),
  b: z.string(),
  orders: z.array(SampleJudgeOrderSchema).describe('Both orders: [a shown first, b shown first].'),
  outcome: z.enum(['a', 'b', 'tie', 'invalid']).describe('After the swap: who won, a tie (inconsistent orders included), or invalid.'),
  inconsistent: z.boolean(),
});

export const SampleJudgeSchema = z.object({
  scores: z.array(SampleJudgeScoreSchema).optional(),
  pairs: z.array(SampleJudgePairSchema).optional(),
});
export type SampleJudge = z.infer<typeof SampleJudgeSchema>;
export type SampleJudgePair = z.infer<typeof SampleJudgePairSchema>;
export type SampleJudgeOrder = z.infer<typeof SampleJudgeOrderSchema>;
