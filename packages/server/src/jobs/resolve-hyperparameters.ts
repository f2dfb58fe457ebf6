import {
  type Budget,
  type HyperparametersInput,
  type LrSearch,
  type Model,
  type ResolvedHyperparameters,
  type Method,
  type ResolvedValue,
  type Tuning,
  LORA_TUNINGS,
  fieldApplies,
  PROMPT_TUNINGS,
  WhetError,
} from '@whetstone/core';
import { autoWarmupSteps, planBatch, scaleLearningRate } from './plan-updates.ts';

export interface ResolveInput {
  hyperparameters: 'auto' | HyperparametersInput;
  /** sft (default); pretrain plans in blocks of max_seq_len tokens; dpo and orpo in preference pairs. */
  method?: Method;
  tuning: Tuning;
  model: Pick<Model, 'params' | 'context_length' | 'name'> & Partial<Pick<Model, 'num_layers'>>;
  /** Training samples: rows for sft, blocks of max_seq_len tokens for pretrain. */
  trainRows: number;
  /** Whether the job has validation data (a validation set or a split): early stopping needs it. */
  hasValidation?: boolean;
  /** Token statistics of the training data, when known (p99 of tokens per sample). */
  tokensP99?: number | null;
  /** The job's budget: the worker plans the steps that fit it, at most the steps of the epochs. */
  budget?: Budget;
}

export interface Resolution {
  values: ResolvedHyperparameters;
  resolved: Record<string, ResolvedValue>;
}

/**
 * "auto" epochs follow the field's published table: ~15 epochs for ~100 samples, 10 for
 * ~1,000, 2 for ~10,000 and more, interpolated on a log scale of the sample count.
 */
export function autoEpochs(rows: number): number {
  const table: [number, number][] = [
    [100, 15],
    [1000, 10],
    [10000, 2],
  ];
  if (rows <= table[0]![0]) return table[0]![1];
  if (rows >= table[2]![0]) return table[2]![1];
  for (let i = 0; i < table.length - 1; i++) {
    const [x0, y0] = table[i]!;
    const [x1, y1] = table[i + 1]!;
    if (rows <= x1) {
      const t = (Math.log10(rows) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0));
      return Math.round((y0 + t * (y1 - y0)) * 10) / 10;
    }
  }
  return 2;
}

/**
 * Continued pre-training repeats a domain's text a few times at most: up to ~4 epochs of repeated
 * data train nearly as well as new data and more return little (Muennighoff et al. 2023, "Scaling
 * Data-Constrained Language Models"). 3 passes over up to 1,000 blocks, 1 from 100,000 blocks
 * (log scale between); early stopping on held-out perplexity ends sooner where it stops improving.
 */
export function autoPretrainEpochs(blocks: number): number {
  if (blocks <= 1000) return 3;
  if (blocks >= 100_000) return 1;
  return Math.round((3 - Math.log10(blocks / 1000)) * 10) / 10;
}

/** The block size of continued pre-training: HF run_clm's 1024 tokens, within the model's context. */
export function pretrainBlockSize(hyperparameters: ResolveInput['hyperparameters'], contextLength: number | null): number {
  const given = hyperparameters === 'auto' ? undefined : hyperparameters.max_seq_len;
  return typeof given === 'number' ? given : Math.min(contextLength ?? 2048, 1024);
}

/**
 * Learning rate by tuning and model size, at effective batch 4 (see scaleLearningRate for larger
 * batches). Published recipes for ~7B models use 2e-4 for LoRA
 * (QLoRA, LLaMA-Factory and Axolotl examples), 1e-5 to 2e-5 for full fine-tuning (Alpaca,
 * Vicuna) and in between for partial (freeze) tuning. Smaller models want larger steps: on this
 * project's demo model (135M) LoRA learned a classification task at 5e-4 and only its answer
 * format at 2e-4, and the sweep in benchmarks/auto-recipe/README.md ranks 5e-4 to 1e-3 first.
 * So the rate scales with (7B / params)^0.25 (x2.7 at 135M, x1 at 7B, x0.6 at 70B), within
 * [base / 4, cap].
 */
export const LR_CAP: Record<Tuning, number> = { lora: 1e-3, dora: 1e-3, qlora: 1e-3, full: 1e-4, freeze: 2e-4, ptuning: 1e-2, prefix: 3e-2 };

/** The published rate for ~7B models by tuning, and how to name it. */
const LR_BASE: Record<Tuning, { base: number; name: string }> = {
  lora: { base: 2e-4, name: 'LoRA' },
  dora: { base: 2e-4, name: 'DoRA (LoRA\'s rate, as in the DoRA paper)' },
  qlora: { base: 2e-4, name: 'QLoRA' },
  full: { base: 1e-5, name: 'full fine-tuning' },
  freeze: { base: 5e-5, name: 'freeze tuning (last layers)' },
  ptuning: { base: 1e-3, name: 'P-tuning' },
  prefix: { base: 1e-2, name: 'prefix tuning' },
};

/**
 * Preference learning moves a model far less than SFT: published DPO recipes use 5e-7 for full
 * fine-tuning (Zephyr-7B) and 5e-6 with LoRA (the alignment handbook's QLoRA recipe); ORPO, which
 * also carries the SFT loss, 5e-6 full (the ORPO paper's Mistral-7B) and 8e-6 with LoRA (TRL's
 * ORPO example rate). Freeze sits between. Scaled with model size like the SFT rates.
 */
const PREFERENCE_LR: Record<'dpo' | 'orpo', Record<'adapter' | 'full' | 'freeze', number>> = {
  dpo: { adapter: 5e-6, full: 5e-7, freeze: 2e-6 },
  orpo: { adapter: 8e-6, full: 5e-6, freeze: 6e-6 },
};

function rateBase(tuning: Tuning, method: Method): { base: number; name: string; cap: number } {
  if ((method === 'dpo' || method === 'orpo') && !PROMPT_TUNINGS.includes(tuning)) {
    const family = tuning === 'full' || tuning === 'freeze' ? tuning : 'adapter';
    const base = PREFERENCE_LR[method][family];
    return { base, name: `${method.toUpperCase()} with ${LR_BASE[tuning].name}`, cap: base * 4 };
  }
  return { ...LR_BASE[tuning], cap: LR_CAP[tuning] };
}

export function autoLearningRate(tuning: Tuning, params: number | null, forMethod: Method = 'sft'): { value: number; reason: string } {
  const { base, name: method, cap } = rateBase(tuning, forMethod);
  if (PROMPT_TUNINGS.includes(tuning)) {
    // Virtual tokens are new parameters trained from scratch, not a step on pretrained weights:
    // their rate does not shrink with model width.
    const guide = tuning === 'prefix' ? "PEFT's prefix-tuning guide for causal LMs" : "PEFT's P-tuning guide";
    return { value: base, reason: `${method}: ${base}, the rate of ${guide}; the virtual tokens train from scratch, so the rate does not scale with model size` };
  }
  if (!params) return { value: base, reason: `${method}: ${base} is the published default for 7B models (this model's size is unknown)` };
  const scale = Math.pow(7e9 / params, 0.25);
  const raw = Math.min(cap, Math.max(base / 4, base * scale));
  const value = Number(raw.toPrecision(2));
  const direction = scale >= 1 ? 'smaller models take larger steps' : 'larger models take smaller steps';
  return {
    value,
    reason: `${method} on a ${formatParams(params)} model: ${base} is typical for 7B and ${direction}, so x${scale.toFixed(2)} ((7B/size)^0.25)${raw === cap ? `, capped at ${cap}` : ''}`,
  };
}

/** `lr_search: true`: the auto rate x 0.5, 1, 2 and 4, each trained a few steps on just the samples it needs. */
export function autoLrSearch(
  input: true | { candidates?: number[]; steps?: number },
  learningRate: number,
  plannedSteps: number,
  samplesPerStep: number,
  rows: number,
): { value: LrSearch; reason: string } {
  const given = input === true ? {} : input;
  const candidates = given.candidates ?? [0.5, 1, 2, 4].map((f) => Number((learningRate * f).toPrecision(2)));
  const steps = given.steps ?? Math.min(30, Math.max(10, Math.round(plannedSteps / 10)));
  const train_fraction = Math.min(1, Math.max(0.01, (steps * samplesPerStep) / Math.max(rows, 1)));
  return {
    value: { candidates, steps, train_fraction: Number(train_fraction.toFixed(4)) },
    reason: `try ${candidates.join(', ')} for ${steps} steps each on ${Math.round(train_fraction * 100)}% of the data, keep the lowest eval loss`,
  };
}

export function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

const DEFAULTS = {
  lr_scheduler: ['cosine', 'cosine decay is the common default for fine-tuning'],
  lr_decay_ratio: [0.1, 'decay to 10% of the peak learning rate'],
  warmup_ratio: [0.03, 'used only when warmup_steps is null: 3% of the steps warm up linearly'],
  seed: [42, 'fixed seed so runs are reproducible'],
  save_total_limit: [3, 'keep the last 3 checkpoints'],
  lora_r: [16, 'rank 16 (alpha 32): the rank of the best measured run on the demo model (benchmarks/auto-recipe) and of recent recipes; it costs little more than rank 8'],
  lora_dropout: [0.05, 'light dropout on the adapter'],
  lora_target: ['all-linear', 'LoRA on every linear layer learns more than attention-only'],
  freeze_trainable_layers: [2, 'train the last 2 decoder layers'],
} as const;

/** Resolve every hyperparameter, storing each value with where it came from and why. */
export function resolveHyperparameters(input: ResolveInput): Resolution {
  const given: HyperparametersInput = input.hyperparameters === 'auto' ? {} : input.hyperparameters;
  const resolved: Record<string, ResolvedValue> = {};
  const pick = <K extends keyof ResolvedHyperparameters>(key: K, auto: () => { value: ResolvedHyperparameters[K]; reason: string }) => {
    const v = (given as Record<string, unknown>)[key];
    if (v !== undefined && v !== 'auto') {
      resolved[key] = { value: v, source: 'user', reason: 'set in the request' };
      return v as ResolvedHyperparameters[K];
    }
    const a = auto();
    resolved[key] = { value: a.value, source: v === 'auto' ? 'auto' : 'default', reason: a.reason };
    return a.value;
  };
  const fromDefaults = <K extends keyof typeof DEFAULTS>(key: K) =>
    pick(key as keyof ResolvedHyperparameters, () => ({ value: DEFAULTS[key][0] as never, reason: DEFAULTS[key][1] }));

  const rows = input.trainRows;
  const ctx = input.model.context_length;

  const method = input.method ?? 'sft';
  const pretrain = method === 'pretrain';
  const preference = method === 'dpo' || method === 'orpo';
  const budgetNote = input.budget ? '; the budget may end training sooner' : '';
  const epochs = pick('epochs', () => {
    if (pretrain) {
      return {
        value: autoPretrainEpochs(rows),
        reason: `about ${rows} blocks of text: continued pre-training passes over a domain's text 3 times at up to 1,000 blocks, once from 100,000 (log scale); repeats beyond ~4 return little (Muennighoff et al. 2023)${budgetNote}`,
      };
    }
    if (preference) {
      return {
        value: autoPreferenceEpochs(rows),
        reason: `${rows} preference pairs: preference learning over-fits its pairs quickly, so 3 passes up to 1,000 pairs and 1 from 10,000 (log scale), as published DPO recipes run 1 to 3 epochs${budgetNote}`,
      };
    }
    return { value: autoEpochs(rows), reason: `${rows} training samples: the field's table gives ~15 epochs at 100 samples, 10 at 1,000, 2 at 10,000+ (log scale)${budgetNote}` };
  });
  const givenBatch = typeof given.batch_size === 'number' ? given.batch_size : undefined;
  const plan = planBatch({ trainRows: rows, epochs, budget: input.budget, givenBatch });
  const batch_size = pick('batch_size', () => ({
    value: plan.batch_size,
    reason: `${plan.batch_size} samples a step fit a CPU or a small GPU (on a GPU the worker halves it if memory runs out); ${plan.reason}`,
  }));
  const gradient_accumulation_steps = pick('gradient_accumulation_steps', () => {
    const effective = plan.batch_size * plan.gradient_accumulation_steps;
    const value = Math.max(1, Math.round(effective / batch_size));
    return { value, reason: `effective batch ${value * batch_size}: ${plan.reason}` };
  });
  const effectiveBatch = batch_size * gradient_accumulation_steps;
  const learning_rate = pick('learning_rate', () => {
    const bySize = autoLearningRate(input.tuning, input.model.params, method);
    const cap = rateBase(input.tuning, method).cap;
    const scaled = scaleLearningRate(bySize.value, effectiveBatch, cap);
    if (scaled.factor === 1) return { value: scaled.value, reason: `${bySize.reason}; at effective batch ${effectiveBatch}` };
    return {
      value: scaled.value,
      reason: `${bySize.reason}; effective batch ${effectiveBatch}: x${scaled.factor.toFixed(2)} (the square root of ${effectiveBatch}/4, at most x2${scaled.value === cap ? `, capped at ${cap}` : ''})`,
    };
  });
  const max_seq_len = pick('max_seq_len', () => {
    const limit = ctx ?? 2048;
    if (pretrain) {
      const value = pretrainBlockSize('auto', ctx);
      return { value, reason: `documents are packed into blocks of ${value} tokens (HF run_clm's 1024, within the model's context ${limit}), an end-of-document token between them` };
    }
    if (input.tokensP99) {
      const value = Math.min(limit, Math.max(64, Math.ceil(input.tokensP99 / 64) * 64));
      return { value, reason: `covers 99% of samples (p99 = ${input.tokensP99} tokens), within the model's context ${limit}` };
    }
    const value = Math.min(limit, 1024);
    return { value, reason: `1024 tokens (token statistics not available yet), within the model's context ${limit}` };
  });
  const stepsPerEpoch = Math.max(1, Math.ceil(rows / (batch_size * gradient_accumulation_steps)));
  const max_steps = (given.max_steps ?? null) as number | null;
  if (max_steps !== null) resolved.max_steps = { value: max_steps, source: 'user', reason: 'set in the request' };
  const totalSteps = max_steps ?? Math.max(1, Math.ceil(stepsPerEpoch * epochs));
  if (input.budget) {
    const what = 'minutes' in input.budget ? `${input.budget.minutes} minutes of training` : `${input.budget.tokens} training tokens`;
    resolved.budget = {
      value: input.budget,
      source: 'user',
      reason: `${what}: the worker times its first steps, plans the steps that fit (at most the ${totalSteps} steps of ${epochs} epochs) and ends the schedule there`,
    };
  }
  const lrSearchInput = given.lr_search;
  let lr_search: LrSearch | null = null;
  if (lrSearchInput) {
    const search = autoLrSearch(lrSearchInput, learning_rate, totalSteps, batch_size * gradient_accumulation_steps, rows);
    lr_search = search.value;
    resolved.lr_search = { value: search.value, source: 'user', reason: search.reason };
  } else {
    resolved.lr_search = { value: null, source: 'default', reason: 'off: the learning rate above is used as is ("lr_search": true tries 4 rates around it first)' };
  }
  const eval_steps = pick('eval_steps', () => {
    const value = Math.max(1, Math.round(totalSteps / 10));
    return { value, reason: `about 10 evaluations over ${totalSteps} planned steps` };
  });
  const save_steps = pick('save_steps', () => ({ value: eval_steps, reason: 'checkpoint at every evaluation' }));
  const warmup_steps = pick('warmup_steps', () =>
    typeof given.warmup_ratio === 'number'
      ? { value: null, reason: `warmup_ratio ${given.warmup_ratio} is set in the request: ${Math.round(given.warmup_ratio * 100)}% of the steps warm up` }
      : autoWarmupSteps(totalSteps),
  );
  const early_stopping_patience = pick('early_stopping_patience', () => autoPatience(input.hasValidation ?? false, eval_steps, save_steps, max_steps));
  const lora_r = fromDefaults('lora_r') as number;
  const lora_alpha = pick('lora_alpha', () => ({ value: 2 * lora_r, reason: `2 x lora_r (${lora_r})` }));
  const tuningOnly = resolveTuningFields(given, input.tuning, resolved);
  const methodOnly = resolveMethodFields(given, method, resolved);
  if (fieldApplies('packing', method, input.tuning)) {
    methodOnly.packing = given.packing ?? false;
    resolved.packing = given.packing === undefined
      ? { value: false, source: 'default', reason: 'off: samples of similar length are batched together (true packs them padding-free into rows of max_seq_len)' }
      : { value: given.packing, source: 'user', reason: 'set in the request' };
  }

  const values: ResolvedHyperparameters = {
    epochs,
    max_steps,
    learning_rate,
    lr_scheduler: fromDefaults('lr_scheduler') as ResolvedHyperparameters['lr_scheduler'],
    lr_decay_ratio: fromDefaults('lr_decay_ratio') as number,
    warmup_ratio: fromDefaults('warmup_ratio') as number,
    warmup_steps,
    early_stopping_patience,
    batch_size,
    gradient_accumulation_steps,
    max_seq_len,
    seed: fromDefaults('seed') as number,
    eval_steps,
    save_steps,
    save_total_limit: fromDefaults('save_total_limit') as number,
    lora_r,
    lora_alpha,
    lora_dropout: fromDefaults('lora_dropout') as number,
    lora_target: fromDefaults('lora_target') as ResolvedHyperparameters['lora_target'],
    freeze_trainable_layers: fromDefaults('freeze_trainable_layers') as number,
    ...tuningOnly,
    ...methodOnly,
    lr_search,
  };
  checkAgainstModel(values, input);
  return { values, resolved };
}

/**
 * Early stopping on by default wherever there is a validation signal: 2 evaluations (of about 10)
 * without a better eval loss end the run, and the best checkpoint is the result. It restores a
 * checkpoint saved at an evaluation, so checkpoints must fall on evaluations.
 */
export const AUTO_PATIENCE = 2;

function autoPatience(hasValidation: boolean, evalSteps: number, saveSteps: number, maxSteps: number | null): { value: number; reason: string } {
  if (!hasValidation) return { value: 0, reason: 'off: no validation data to watch (20 rows or more get a validation split automatically)' };
  if (maxSteps !== null) return { value: 0, reason: `off: max_steps ${maxSteps} is set, so the run takes the steps asked for (set early_stopping_patience to stop sooner)` };
  if (saveSteps % evalSteps !== 0) {
    return { value: 0, reason: `off: save_steps ${saveSteps} is not a multiple of eval_steps ${evalSteps}, so the best evaluation may have no checkpoint to keep` };
  }
  return {
    value: AUTO_PATIENCE,
    reason: `stop once the eval loss has not improved for ${AUTO_PATIENCE} evaluations and keep the best checkpoint, so small data is not memorised`,
  };
}

/** Preference pairs: 3 passes up to 1,000 pairs, 1 from 10,000, log scale between. */
export function autoPreferenceEpochs(pairs: number): number {
  if (pairs <= 1000) return 3;
  if (pairs >= 10_000) return 1;
  return Math.round((3 - 2 * Math.log10(pairs / 1000)) * 10) / 10;
}

/** The fields only dpo or orpo take, resolved for the chosen method. */
function resolveMethodFields(given: HyperparametersInput, method: Method, resolved: Record<string, ResolvedValue>): Partial<ResolvedHyperparameters> {
  const out: Partial<ResolvedHyperparameters> = {};
  const put = <K extends 'beta' | 'loss_type' | 'orpo_lambda'>(key: K, auto: NonNullable<ResolvedHyperparameters[K]>, reason: string) => {
    const v = given[key];
    const value = (v === undefined || v === 'auto' ? auto : v) as NonNullable<ResolvedHyperparameters[K]>;
    out[key] = value;
    resolved[key] = v === undefined || v === 'auto' ? { value, source: v === 'auto' ? 'auto' : 'default', reason } : { value, source: 'user', reason: 'set in the request' };
  };
  if (method === 'dpo') {
    put('beta', 0.1, '0.1, the DPO paper\'s and TRL\'s default: higher keeps the model closer to the reference');
    put('loss_type', 'sigmoid', 'the DPO paper\'s loss ("ipo" is steadier when one answer of every pair is plainly better)');
  }
  if (method === 'orpo') put('orpo_lambda', 0.1, '0.1, the ORPO paper\'s and TRL\'s weight of the odds-ratio term beside the SFT loss');
  return out;
}

/** The fields only some tunings take, resolved for the chosen one (the others are left out). */
function resolveTuningFields(given: HyperparametersInput, tuning: Tuning, resolved: Record<string, ResolvedValue>): Partial<ResolvedHyperparameters> {
  const out: Partial<ResolvedHyperparameters> = {};
  if (LORA_TUNINGS.includes(tuning)) {
    out.use_rslora = given.use_rslora ?? false;
    resolved.use_rslora = given.use_rslora === undefined
      ? { value: false, source: 'default', reason: 'off: scaling alpha / r, as LoRA does (true scales alpha / sqrt(r), steadier at ranks of 64 and more)' }
      : { value: given.use_rslora, source: 'user', reason: 'set in the request' };
  }
  if (PROMPT_TUNINGS.includes(tuning)) {
    const n = given.num_virtual_tokens;
    out.num_virtual_tokens = typeof n === 'number' ? n : 20;
    resolved.num_virtual_tokens = typeof n === 'number'
      ? { value: n, source: 'user', reason: 'set in the request' }
      : { value: 20, source: n === 'auto' ? 'auto' : 'default', reason: "20 virtual tokens, as PEFT's P-tuning and prefix-tuning guides use" };
  }
  if (tuning === 'freeze' && given.freeze_layers) {
    out.freeze_layers = given.freeze_layers;
    resolved.freeze_layers = { value: given.freeze_layers, source: 'user', reason: 'set in the request: exactly these layers train (freeze_trainable_layers is not used)' };
  }
  return out;
}

/** Values that pass the schema but not this model. */
function checkAgainstModel(v: ResolvedHyperparameters, input: ResolveInput) {
  const layers = input.model.num_layers;
  const beyond = layers ? (v.freeze_layers ?? []).filter((l): l is number => typeof l === 'number' && l >= layers) : [];
  if (beyond.length) {
    throw new WhetError('INVALID_HYPERPARAMETER', `freeze_layers names layer ${beyond.join(', ')}, but ${input.model.name} has layers 0 to ${layers! - 1}`, {
      field: 'hyperparameters.freeze_layers',
      hint: `Use layer indices 0 to ${layers! - 1}, or module name patterns such as "layers.${layers! - 1}".`,
    });
  }
  const ctx = input.model.context_length;
  if (ctx && v.max_seq_len > ctx) {
    throw new WhetError('INVALID_HYPERPARAMETER', `max_seq_len ${v.max_seq_len} is above the context length of ${input.model.name} (${ctx})`, {
      field: 'hyperparameters.max_seq_len',
      hint: `Use max_seq_len <= ${ctx}, or "auto".`,
    });
  }
}
