import { z } from 'zod';

export const MC_TEMPLATES = ['mmlu', 'cmmlu', 'ceval'] as const;
export const MC_METHODS = ['loglikelihood', 'chat'] as const;

/**
 * `score-choices` spec.json: `python -m whet_worker score-choices SPEC`. Multiple-choice scoring
 * by log-likelihood, as EleutherAI's lm-evaluation-harness 0.4.13 scores a `multiple_choice` task:
 * the context is the subject's description, the few-shot examples and the question prompt; each
 * choice's continuation is `target_delimiter` + its label; `acc` takes the choice with the
 * highest summed log-probability, `acc_norm` divides it by the label's length in characters.
 * Or (method "chat") LLaMA-Factory's eval: the chat template, the letter ranked highest next.
 *
 * Input lines (questions_path and fewshot_path) are the multiple-choice dataset form:
 * {"question", "choices": [...], "answer_index", "subject"?}. The worker writes one {"index",
 * "subject", "answer", "loglikelihoods", "pred", "pred_norm"} line per question, in input order.
 */
export const WorkerScoreChoicesSpecSchema = z
  .object({
    version: z.literal(1),
    command: z.literal('score-choices'),
    model: z
      .object({
        path: z.string().describe('Hugging Face model folder (absolute).'),
        chat_template: z.string().nullable().default(null).describe('Overrides the tokenizer\'s chat template (method "chat" only); null = the model\'s own.'),
      })
      .strict(),
    adapter: z.string().nullable().default(null).describe('PEFT adapter folder merged into the model; null = the base model.'),
    questions_path: z.string().describe('JSONL of questions to score.'),
    fewshot_path: z
      .string()
      .nullable()
      .default(null)
      .describe("JSONL of examples (a dev file); a subject's first rows there are its shots. null = each subject's first rows in questions_path (a question is never its own shot; all rows are scored)."),
    output_path: z.string().describe('JSONL of per-question scores, written to a temporary name and renamed when complete.'),
    num_fewshot: z.number().int().min(0).max(5).default(0),
    template: z
      .enum(MC_TEMPLATES)
      .default('mmlu')
      .describe('The harness task whose prompt is used: mmlu ("The following are multiple choice questions (with answers) about {subject}." ... "Answer:"), cmmlu or ceval (Chinese, "答案：").'),
    method: z.enum(MC_METHODS).default('loglikelihood').describe('loglikelihood: lm-evaluation-harness; chat: the chat template, the letter ranked highest next (LLaMA-Factory eval).'),
    batch_size: z.number().int().min(1).max(256).default(16).describe('Sequences run through the model together (right-padded).'),
    device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    threads: z.number().int().min(1).nullable().default(null).describe('torch threads; null = physical cores.'),
    dtype: z.enum(['auto', 'float32', 'bfloat16', 'float16']).default('auto').describe('auto: float32 on CPU, bfloat16 on CUDA when supported.'),
  })
  .strict();
export type WorkerScoreChoicesSpec = z.infer<typeof WorkerScoreChoicesSpecSchema>;
export type WorkerScoreChoicesSpecInput = z.input<typeof WorkerScoreChoicesSpecSchema>;
