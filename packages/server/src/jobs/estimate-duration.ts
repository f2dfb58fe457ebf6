import type { Budget, JobEstimate } from '@whetstone/core';

/** What a planned job will train on, as the dry run resolved it. */
export interface PlannedTraining {
  modelName: string;
  tuning: string;
  epochs: number;
  trainRows: number;
  /** Optimizer steps the job runs and samples per step (batch x accumulation). */
  steps: number;
  perStep: number;
  /** max_steps ends the run before its epochs do. */
  capped: boolean;
  maxSeqLen: number;
  /** Mean tokens per training sample with the model's tokenizer, cut at max_seq_len; null when not counted. */
  tokensPerSample: number | null;
}

export interface EstimateInput {
  budget?: Budget;
  /** tokens/s of each earlier finished run of the same model and tuning (each run's median). */
  runSpeeds: number[];
  plan: PlannedTraining;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** "about 12 min", "about 40 s", "about 2.5 h". */
export function describeSeconds(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Training tokens the plan feeds the model, and how that was counted: the data's tokens x epochs
 * when the data was counted and the epochs decide the length; else steps x samples per step x
 * tokens per sample (the mean when counted, max_seq_len as an upper bound when not).
 */
export function plannedTokens(plan: PlannedTraining): { tokens: number; how: string } {
  if (plan.tokensPerSample !== null && !plan.capped) {
    const data = plan.trainRows * plan.tokensPerSample;
    return { tokens: data * plan.epochs, how: `${n(data)} tokens of training data for ${plan.modelName} x ${plan.epochs} epochs` };
  }
  const per = plan.tokensPerSample ?? plan.maxSeqLen;
  const what = plan.tokensPerSample !== null ? `${n(per)} tokens a sample (the data's mean)` : `${n(per)} tokens a sample (max_seq_len, an upper bound: the data was not counted with this model)`;
  return { tokens: plan.steps * plan.perStep * per, how: `${n(plan.steps)} steps x ${n(plan.perStep)} samples x ${what}` };
}

/**
 * How long a planned job should train: a time budget is the answer itself; else the median
 * speed of earlier runs of the same model and tuning on this server over the tokens planned;
 * else no figure, with the reason.
 */
export function estimateDuration(input: EstimateInput): JobEstimate {
  const { budget, plan } = input;
  const none = { tokens_per_sec: null, runs: 0, tokens: null };
  if (budget && 'minutes' in budget) {
    return { seconds: budget.minutes * 60, basis: 'budget', reason: `the time budget of ${budget.minutes} minutes: the schedule is planned to end there`, ...none };
  }
  const speeds = input.runSpeeds.filter((s) => Number.isFinite(s) && s > 0);
  const speed = median(speeds);
  if (speed === null) {
    return { seconds: null, basis: 'none', reason: `no earlier run of ${plan.modelName} with ${plan.tuning} on this server to measure speed from`, ...none };
  }
  const { tokens, how } = budget && 'tokens' in budget ? { tokens: budget.tokens, how: `the token budget of ${n(budget.tokens)}` } : plannedTokens(plan);
  const seconds = tokens / speed;
  const runs = speeds.length === 1 ? '1 earlier run' : `${speeds.length} earlier runs`;
  return {
    seconds,
    basis: 'history',
    reason: `${describeSeconds(seconds)}: ${n(tokens)} training tokens (${how}) at ${n(speed)} tokens/s, the median of ${runs} of ${plan.modelName} with ${plan.tuning}`,
    tokens_per_sec: speed,
    runs: speeds.length,
    tokens,
  };
}

/** Mean tokens per sample from `[length, samples]` pairs, each length cut at `maxSeqLen`. */
export function cappedMeanTokens(lengthCounts: [number, number][], maxSeqLen: number): number | null {
  let tokens = 0;
  let samples = 0;
  for (const [len, count] of lengthCounts) {
    tokens += Math.min(len, maxSeqLen) * count;
    samples += count;
  }
  return samples > 0 ? tokens / samples : null;
}
