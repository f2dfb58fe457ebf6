import { z } from 'zod';
import { BudgetSchema, METHODS, ResolvedHyperparametersSchema, TUNINGS } from './hyperparameters.ts';
import { STRATEGIES } from './resources.ts';

/**
 * `jobs/<id>/spec.json`: everything the worker needs, every value resolved, paths absolute.
 * The worker validates it against the JSON Schema generated from this (worker/whet_worker/schemas/).
 */
export const WorkerSpecSchema = z
  .object({
    version: z.literal(1),
    command: z.literal('train'),
    job_id: z.string(),
    method: z.enum(METHODS),
    tuning: z.enum(TUNINGS),
    model: z
      .object({
        path: z.string().describe('Hugging Face model folder.'),
        chat_template: z.string().nullable().describe('Template override; null uses the tokenizer\'s own.'),
      })
      .strict(),
    data: z
      .object({
        train: z.string().describe('JSONL: the internal conversation form (sft), or {"text"} rows (pretrain).'),
        validation: z.string().nullable(),
        validation_split: z.number().min(0).max(0.5).describe('Held out from train when validation is null.'),
        drop_truncated: z.boolean().optional().describe('Leave out samples whose answer max_seq_len would cut, instead of training on them truncated.'),
        stratify_by: z
          .array(z.string())
          .optional()
          .describe("The dataset's label set: validation_split then keeps each label's share of rows (answers outside the set form one more group)."),
      })
      .strict(),
    output_dir: z.string().describe('Checkpoints go to output_dir/checkpoints, the final adapter or weights to output_dir/final.'),
    resume_from_checkpoint: z.string().nullable().describe('A checkpoint folder to continue from.'),
    hyperparameters: ResolvedHyperparametersSchema,
    budget: BudgetSchema.nullable().optional().describe('Steps are planned from the first measured steps to fit it.'),
    device: z.enum(['auto', 'cpu', 'cuda']),
    threads: z.number().int().min(1).nullable().describe('torch threads; null = physical cores.'),
    strategy: z
      .enum(STRATEGIES)
      .optional()
      .describe('How several processes share the model: ddp (also when absent) or fsdp (each process holds a shard; CUDA only, TrainingArguments fsdp + fsdp_config).'),
  })
  .strict();
export type WorkerSpec = z.infer<typeof WorkerSpecSchema>;
