import type { DiagnosisFinding } from '@whetstone/core';

import { fmt, median, pct, type Series } from './metric-series.ts';

/** The last eval loss must be this far above the best one... */
export const EVAL_RISE_RATIO = 1.05;
/** ...while the training loss fell by at least this fraction since the best eval step. */
export const TRAIN_FALL_RATIO = 0.97;

/**
 * Over-fitting: the eval loss rose well above its best value (not one noisy point: the mean of
 * the later evals is up too) while the training loss kept falling, so the gap between them grew.
 */
export function checkOverfitting(loss: Series, evalLoss: Series): DiagnosisFinding | undefined {
  const ev = evalLoss.values;
  if (ev.length < 3 || loss.values.length < 3) return undefined;
  let best = 0;
  for (let i = 1; i < ev.length; i++) if (ev[i] < ev[best]) best = i;
  const last = ev.length - 1;
  if (best === last) return undefined;
  const after = ev.slice(best + 1);
  const meanAfter = after.reduce((a, b) => a + b, 0) / after.length;
  if (!(ev[last] > ev[best] * EVAL_RISE_RATIO && meanAfter > ev[best] * (1 + (EVAL_RISE_RATIO - 1) / 2))) return undefined;

  const bestStep = evalLoss.steps[best];
  const lastStep = evalLoss.steps[last];
  const trainAtBest = trainLossNear(loss, bestStep);
  const trainAtEnd = trainLossNear(loss, lastStep);
  if (!(trainAtEnd < trainAtBest * TRAIN_FALL_RATIO)) return undefined;
  const gapAtBest = ev[best] - trainAtBest;
  const gapAtEnd = ev[last] - trainAtEnd;

  return {
    verdict: 'overfitting',
    evidence: [
      {
        metric: 'eval_loss',
        message: `The eval loss was lowest at step ${bestStep} (${fmt(ev[best])}) and has risen since, to ${fmt(ev[last])} at step ${lastStep} (${pct(ev[best], ev[last])}).`,
        steps: [bestStep, lastStep],
        values: { best_eval_loss: ev[best], best_step: bestStep, last_eval_loss: ev[last] },
      },
      {
        metric: 'loss',
        message: `Meanwhile the training loss kept falling, from ${fmt(trainAtBest)} to ${fmt(trainAtEnd)} (${pct(trainAtBest, trainAtEnd)}): the model memorizes the training rows instead of learning what carries over.`,
        steps: [bestStep, lastStep],
        values: { train_loss_at_best: trainAtBest, train_loss_at_end: trainAtEnd },
      },
      {
        metric: 'eval_loss',
        message: `The gap between eval and training loss grew from ${fmt(gapAtBest)} to ${fmt(gapAtEnd)}.`,
        steps: [bestStep, lastStep],
        values: { gap_at_best: gapAtBest, gap_at_end: gapAtEnd },
      },
    ],
    advice: [
      `Train for fewer epochs: stop around step ${bestStep}, where the eval loss was best, or use the checkpoint nearest to it.`,
      'Add more data, and remove duplicates and near-duplicates: a model sees repeated rows many times per epoch.',
      'Regularize: a lower learning rate, a smaller LoRA rank (lora_r), or lora_dropout 0.05 to 0.1.',
    ],
  };
}

/** The training loss around a step: the median of the (up to) three points at or before it. */
function trainLossNear(loss: Series, step: number): number {
  let end = loss.steps.findIndex((s) => s > step);
  if (end < 0) end = loss.steps.length;
  if (end === 0) end = 1;
  return median(loss.values.slice(Math.max(0, end - 3), end));
}
