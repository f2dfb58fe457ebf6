import { z } from 'zod';

const auto = z.literal('auto');
const orAuto = <T extends z.ZodTypeAny>(s: T) => z.union([s, auto]);

export const LR_SCHEDULERS = ['cosine', 'linear', 'constant'] as const;
/**
 * lora / dora (weight-decomposed LoRA) / qlora (LoRA on a 4-bit base, CUDA only): PEFT adapters;
 * full: every weight; freeze: the last N layers or the layers named; ptuning (a prompt encoder)
 * and prefix (prefix tuning): trained virtual tokens, the model untouched.
 */
export const TUNINGS = ['lora', 'dora', 'qlora', 'full', 'freeze', 'ptuning', 'prefix'] as const;
export type Tuning = (typeof TUNINGS)[number];
/** Tunings that train LoRA adapters (their lora_* fields apply). */
export const LORA_TUNINGS: readonly Tuning[] = ['lora', 'dora', 'qlora'];
/** Tunings that train virtual tokens (num_virtual_tokens applies); their output cannot be merged. */
export const PROMPT_TUNINGS: readonly Tuning[] = ['ptuning', 'prefix'];

/** Layers to train in freeze tuning: decoder layer indices (23) or module name patterns ("layers.23", "mlp"). */
export const FreezeLayersSchema = z.array(z.union([z.number().int().min(0), z.string().min(1)])).min(1).max(1024);
/**
 * sft: instruction chats, the loss on answers; pretrain: continued pre-training on raw text, every
 * token a target; dpo: preference pairs against a frozen reference (the base, adapter disabled);
 * orpo: preference pairs without a reference (SFT loss plus an odds-ratio penalty).
 */
export const METHODS = ['sft', 'pretrain', 'dpo', 'orpo'] as const;
export type Method = (typeof METHODS)[number];
export const DPO_LOSS_TYPES = ['sigmoid', 'ipo'] as const;

/** `"all-linear"` or explicit module names such as `["q_proj","v_proj"]`. */
export const LoraTargetSchema = z.union([z.literal('all-linear'), z.array(z.string().min(1)).min(1)]);

/** A training budget: minutes of training (model loading and pauses not counted) or non-padding tokens. */
export const BudgetSchema = z.union([
  z.object({ minutes: z.number().positive().max(100_000) }).strict(),
  z.object({ tokens: z.number().int().positive() }).strict(),
]);
export type Budget = z.infer<typeof BudgetSchema>;

/** `lr_search` given as an object: the candidates and how long each trial runs. */
export const LrSearchInputSchema = z
  .object({
    candidates: z.array(z.number().positive().max(1)).min(2).max(8).optional().describe('Learning rates to try; default: the auto rate x 0.5, 1, 2, 4.'),
    steps: z.number().int().min(1).max(10_000).optional().describe('Optimizer steps per trial.'),
  })
  .strict();

/** What the worker receives: every trial resolved. */
export const LrSearchSchema = z
  .object({
    candidates: z.array(z.number().positive()).min(2).max(8),
    steps: z.number().int().min(1),
    train_fraction: z.number().gt(0).max(1).describe('Share of the training data the trials draw from.'),
  })
  .strict();
export type LrSearch = z.infer<typeof LrSearchSchema>;

/** Hyperparameters as the API accepts them: every field optional, each may be "auto". */
export const HyperparametersInputSchema = z
  .object({
    epochs: orAuto(z.number().positive().max(1000)).describe('Passes over the training data; "auto" picks by dataset size.'),
    max_steps: z.number().int().positive().optional().describe('Stop after this many optimizer steps (overrides epochs for the schedule).'),
    learning_rate: orAuto(z.number().positive().max(1)).describe('Peak learning rate; "auto" picks by model size and tuning.'),
    lr_scheduler: orAuto(z.enum(LR_SCHEDULERS)).describe('Decay after warmup.'),
    lr_decay_ratio: orAuto(z.number().min(0).max(1)).describe('Final learning rate = learning_rate x lr_decay_ratio.'),
    warmup_ratio: orAuto(z.number().min(0).max(0.5)).describe('Fraction of the steps spent warming up linearly from 0 (used when warmup_steps is not set).'),
    warmup_steps: orAuto(z.number().int().min(0).max(1_000_000)).describe('Optimizer steps spent warming up linearly from 0; "auto": 5% of the planned updates, 10 to 100.'),
    early_stopping_patience: orAuto(z.number().int().min(0).max(1000)).describe(
      'Stop once the eval loss has not improved for this many evaluations and keep the best checkpoint; 0 turns it off. "auto": 2 when there is validation data.',
    ),
    batch_size: orAuto(z.number().int().min(1).max(4096)).describe('Samples per device per step.'),
    gradient_accumulation_steps: orAuto(z.number().int().min(1).max(4096)),
    max_seq_len: orAuto(z.number().int().min(8).max(1_048_576)).describe('Tokens per sample; longer samples are truncated.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    eval_steps: orAuto(z.number().int().min(1)),
    save_steps: orAuto(z.number().int().min(1)),
    save_total_limit: orAuto(z.number().int().min(1).max(1000)),
    lora_r: orAuto(z.number().int().min(1).max(1024)),
    lora_alpha: orAuto(z.number().positive().max(4096)),
    lora_dropout: orAuto(z.number().min(0).max(0.9)),
    lora_target: orAuto(LoraTargetSchema),
    freeze_trainable_layers: orAuto(z.number().int().min(1).max(1024)).describe('freeze tuning: how many of the last decoder layers train.'),
    freeze_layers: FreezeLayersSchema.describe(
      'freeze tuning: train exactly these decoder layers (indices such as 23) or modules whose name contains a pattern (such as "layers.23" or "mlp"), instead of the last freeze_trainable_layers.',
    ),
    use_rslora: z.boolean().describe('lora, dora, qlora: rank-stabilised scaling (alpha / sqrt(r) instead of alpha / r), steadier at high ranks.'),
    packing: z.boolean().describe(
      'sft (not ptuning or prefix): pack short samples into rows of max_seq_len, padding-free (each sample keeps its own positions and attends only to itself), instead of batching samples of similar length. Off by default.',
    ),
    num_virtual_tokens: orAuto(z.number().int().min(1).max(512)).describe('ptuning, prefix: how many virtual tokens are trained; "auto": 20.'),
    beta: orAuto(z.number().positive().max(10)).describe('dpo: how far the model may move from the reference (higher: closer); "auto": 0.1, TRL\'s default.'),
    loss_type: orAuto(z.enum(DPO_LOSS_TYPES)).describe('dpo: "sigmoid" (the DPO paper) or "ipo" (IPO, steadier when the pairs are near-deterministic).'),
    orpo_lambda: orAuto(z.number().positive().max(10)).describe('orpo: the weight of the odds-ratio term beside the SFT loss; "auto": 0.1, as the ORPO paper and TRL.'),
    lr_search: z
      .union([z.boolean(), LrSearchInputSchema])
      .describe('Try a few learning rates on a slice of the data first, pick by eval loss, continue with the winner.'),
  })
  .partial()
  .strict();
export type HyperparametersInput = z.infer<typeof HyperparametersInputSchema>;

/** Every value resolved: what the worker receives. */
export const ResolvedHyperparametersSchema = z
  .object({
    epochs: z.number().positive(),
    max_steps: z.number().int().positive().nullable(),
    learning_rate: z.number().positive(),
    lr_scheduler: z.enum(LR_SCHEDULERS),
    lr_decay_ratio: z.number().min(0).max(1),
    warmup_ratio: z.number().min(0).max(0.5),
    warmup_steps: z.number().int().min(0).nullable().optional().describe('Warm-up in steps for the planned updates; null or absent: warmup_ratio of the steps.'),
    early_stopping_patience: z.number().int().min(0).optional().describe('Evaluations without a better eval loss before training stops; 0 or absent: off.'),
    batch_size: z.number().int().min(1),
    gradient_accumulation_steps: z.number().int().min(1),
    max_seq_len: z.number().int().min(8),
    seed: z.number().int().min(0),
    eval_steps: z.number().int().min(1),
    save_steps: z.number().int().min(1),
    save_total_limit: z.number().int().min(1),
    lora_r: z.number().int().min(1),
    lora_alpha: z.number().positive(),
    lora_dropout: z.number().min(0).max(0.9),
    lora_target: LoraTargetSchema,
    freeze_trainable_layers: z.number().int().min(1),
    freeze_layers: FreezeLayersSchema.nullable().optional().describe('null or absent: the last freeze_trainable_layers layers.'),
    use_rslora: z.boolean().optional(),
    num_virtual_tokens: z.number().int().min(1).optional(),
    packing: z.boolean().optional().describe('sft: samples packed padding-free into rows of max_seq_len; absent: length-grouped batches.'),
    beta: z.number().positive().optional(),
    loss_type: z.enum(DPO_LOSS_TYPES).optional(),
    orpo_lambda: z.number().positive().optional(),
    lr_search: LrSearchSchema.nullable().optional().describe('Learning-rate trials before training; null or absent: none.'),
  })
  .strict();
export type ResolvedHyperparameters = z.infer<typeof ResolvedHyperparametersSchema>;

/** A resolved value with the reason it was chosen, stored on the job and shown to the user. */
export const ResolvedValueSchema = z.object({
  value: z.unknown(),
  source: z.enum(['user', 'auto', 'default', 'worker']),
  reason: z.string(),
});
export type ResolvedValue = z.infer<typeof ResolvedValueSchema>;
