import { z } from 'zod';
import { LabelListSchema } from './label-list.ts';

const Message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }).strict();

/**
 * `generate` spec.json: `python -m whet_worker generate SPEC`. Batched generation over a JSONL
 * of prompts for an evaluation: each input line is {"messages": [...]} (formatted with the chat
 * template, generation prompt added) or {"prompt": "..."} (raw text), optionally with "id".
 * The worker writes one {"index", "id", "prediction", "prompt_tokens", "completion_tokens",
 * "finish_reason"} line per input line, in input order.
 */
export const WorkerGenerateSpecSchema = z
  .object({
    version: z.literal(1),
    command: z.literal('generate'),
    model: z
      .object({
        path: z.string().describe('Hugging Face model folder (absolute).'),
        chat_template: z.string().nullable().default(null).describe("Template override; null uses the tokenizer's own."),
      })
      .strict(),
    adapter: z.string().nullable().default(null).describe('PEFT adapter folder (a job result or checkpoint); null = the base model.'),
    input_path: z.string().describe('JSONL of prompts.'),
    output_path: z.string().describe('JSONL of predictions, written to a temporary name and renamed when complete.'),
    few_shot: z
      .array(Message)
      .default([])
      .describe('Example turns (user, assistant, ...) put before every chat row, after its system message: the prompting baseline.'),
    few_shot_text: z.string().default('').describe('Text put before every raw-prompt row.'),
    prefix_cache: z
      .boolean()
      .default(true)
      .describe('Run the prefix all prompts share (the few-shot examples) once and decode each batch after a copy of its KV cache; false = plain left-padded batches. Same tokens at temperature 0.'),
    generation: z
      .object({
        max_tokens: z.number().int().min(1).default(256),
        temperature: z.number().min(0).default(0).describe('0 = greedy.'),
        top_p: z.number().gt(0).max(1).default(1),
        top_k: z.number().int().min(0).default(0).describe('0 = off.'),
        repetition_penalty: z.number().gt(0).default(1),
        seed: z.number().int().default(0).describe('Seeds sampling once, before the first batch.'),
      })
      .strict()
      .default({ max_tokens: 256, temperature: 0, top_p: 1, top_k: 0, repetition_penalty: 1, seed: 0 }),
    labels: LabelListSchema.nullable().default(null).describe('Every answer is exactly one of these labels (decoding restricted to their token sequences); null = free text.'),
    batch_size: z.number().int().min(1).max(256).default(16).describe('Rows decoded together (left-padded); 1 = one at a time.'),
    device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    threads: z.number().int().min(1).nullable().default(null).describe('torch threads; null = physical cores.'),
    dtype: z.enum(['auto', 'float32', 'bfloat16', 'float16']).default('auto').describe('auto: float32 on CPU, bfloat16 on CUDA when supported.'),
  })
  .strict();
export type WorkerGenerateSpec = z.infer<typeof WorkerGenerateSpecSchema>;
export type WorkerGenerateSpecInput = z.input<typeof WorkerGenerateSpecSchema>;
