import type { Budget } from '@whetstone/core';

/**
 * "Updates first": on small data and under a time budget the optimizer updates are what is
 * scarce, so the batch, the accumulation, the warm-up and the learning rate are planned from
 * the number of updates the run will make. Measured on the demo model (benchmarks/auto-recipe):
 * effective batch 4 with 174 updates learned a 1,000-row labelling task to 73%, effective batch
 * 16 with 46 updates of the same samples to 59%.
 */

/** Aim for at least this many optimizer updates when the data allows. */
export const TARGET_UPDATES = 150;
/** Below 4 samples a step the gradients are too noisy; above 32 the updates get too few for small data. */
export const MIN_EFFECTIVE_BATCH = 4;
export const MAX_EFFECTIVE_BATCH = 32;
/** Samples per device step: fits a CPU or a small GPU (the worker halves it on a CUDA out-of-memory error). */
export const DEVICE_BATCH = 4;

export interface BatchPlan {
  batch_size: number;
  gradient_accumulation_steps: number;
  /** Optimizer updates over the planned epochs (a budget may end the run sooner). */
  updates: number;
  reason: string;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The largest effective batch (a power of two in [4, 32]) that still makes TARGET_UPDATES
 * updates over the planned epochs. Under a budget the samples that fit are only known once the
 * worker has timed its first steps, so the batch stays at the smallest: updates are the scarce
 * resource there.
 */
export function planBatch(input: { trainRows: number; epochs: number; budget?: Budget; givenBatch?: number }): BatchPlan {
  const rows = Math.max(1, input.trainRows);
  const samples = rows * input.epochs;
  let effective: number;
  let why: string;
  if (input.budget) {
    effective = MIN_EFFECTIVE_BATCH;
    why = `a budget ends the run when its time or tokens run out, so updates are scarce: the smallest effective batch (${MIN_EFFECTIVE_BATCH}) makes the most of them`;
  } else {
    const wanted = samples / TARGET_UPDATES;
    effective = MIN_EFFECTIVE_BATCH;
    while (effective * 2 <= Math.min(MAX_EFFECTIVE_BATCH, wanted)) effective *= 2;
    why = `${fmtInt(rows)} samples x ${input.epochs} epochs: effective batch ${effective} keeps at least ${TARGET_UPDATES} updates where the data allows (batch ${MIN_EFFECTIVE_BATCH} to ${MAX_EFFECTIVE_BATCH})`;
  }
  effective = Math.min(effective, Math.max(1, rows));
  const batch_size = Math.max(1, Math.min(input.givenBatch ?? DEVICE_BATCH, effective));
  const gradient_accumulation_steps = Math.max(1, Math.round(effective / batch_size));
  const perUpdate = batch_size * gradient_accumulation_steps;
  const updates = Math.max(1, Math.ceil(Math.ceil(rows / perUpdate) * input.epochs));
  return { batch_size, gradient_accumulation_steps, updates, reason: `${why}; ${fmtInt(updates)} updates of ${perUpdate} samples over the epochs` };
}

/**
 * Adam's learning rate grows with the square root of the effective batch (the noise of each
 * update falls with it). The size rule gives the rate at effective batch 4; above 16 the factor
 * stays at 2, where published recipes for large batches stop raising it.
 */
export function scaleLearningRate(rateAtBatch4: number, effectiveBatch: number, cap: number): { value: number; factor: number } {
  const factor = Math.min(2, Math.sqrt(effectiveBatch / MIN_EFFECTIVE_BATCH));
  return { value: Number(Math.min(cap, rateAtBatch4 * factor).toPrecision(2)), factor };
}

/** Warm-up in optimizer steps: 5% of the planned updates, at least 10, at most 100, never past a third of the run. */
export const WARMUP_SHARE = 0.05;
export const WARMUP_MIN_STEPS = 10;
export const WARMUP_MAX_STEPS = 100;

export function autoWarmupSteps(updates: number): { value: number; reason: string } {
  const share = Math.ceil(updates * WARMUP_SHARE);
  const value = Math.max(1, Math.min(WARMUP_MAX_STEPS, Math.max(WARMUP_MIN_STEPS, share), Math.floor(updates / 3)));
  const rule = `${Math.round(WARMUP_SHARE * 100)}% of ${fmtInt(updates)} planned updates, at least ${WARMUP_MIN_STEPS} and at most ${WARMUP_MAX_STEPS} steps`;
  const capped = value < Math.max(WARMUP_MIN_STEPS, Math.min(share, WARMUP_MAX_STEPS)) ? ' (a third of a short run at most)' : '';
  return { value, reason: `${value} steps: ${rule}${capped}, so the first updates at a high learning rate are small` };
}
