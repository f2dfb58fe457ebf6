import type { DiagnosisFinding } from '@whetstone/core';

import { fmt, median, pct, type Series } from './metric-series.ts';

/** A loss that fell by less than this fraction over the run is flat. */
export const FLAT_DROP = 0.03;
/** Below this peak learning rate, fine-tuning barely moves the weights. */
export const TINY_LR = 1e-5;

export interface LossTrend {
  /** Median of the first three points after warm-up, and of the last three. */
  head: number;
  tail: number;
  headStep: number;
  tailStep: number;
  /** (head - tail) / head */
  drop: number;
  /** The drop over the last quarter of the run, relative to the loss there. */
  lateDrop: number;
}

/** The loss trend, ignoring the warm-up points (learning rate below half its peak, at the start). */
export function lossTrend(loss: Series, lr: Series): LossTrend {
  let from = 0;
  if (lr.values.length) {
    const peak = Math.max(...lr.values);
    const warm = lr.steps.find((_, i) => lr.values[i] >= peak / 2) ?? lr.steps[0];
    from = Math.max(0, loss.steps.findIndex((s) => s >= warm));
    if (loss.values.length - from < 6) from = 0;
  }
  const v = loss.values.slice(from);
  const head = median(v.slice(0, 3));
  const tail = median(v.slice(-3));
  const q = Math.max(2, Math.floor(v.length / 4));
  const lateHead = median(v.slice(-q - 3, -q).length ? v.slice(-q - 3, -q) : v.slice(0, 3));
  return {
    head,
    tail,
    headStep: loss.steps[from],
    tailStep: loss.steps[loss.steps.length - 1],
    drop: (head - tail) / head,
    lateDrop: (lateHead - tail) / Math.abs(tail || 1),
  };
}

/** Not converging: the training loss stays flat (it fell by less than 3% over the run). */
export function checkConvergence(loss: Series, evalLoss: Series, gradNorm: Series, lr: Series): DiagnosisFinding | undefined {
  const t = lossTrend(loss, lr);
  if (!(t.drop < FLAT_DROP)) return undefined;
  const evidence: DiagnosisFinding['evidence'] = [
    {
      metric: 'loss',
      message: `The training loss stayed flat: ${fmt(t.head)} at step ${t.headStep}, ${fmt(t.tail)} at step ${t.tailStep} (${pct(t.head, t.tail)}).`,
      steps: [t.headStep, t.tailStep],
      values: { start_loss: t.head, end_loss: t.tail, drop: t.drop },
    },
  ];
  if (evalLoss.values.length >= 2) {
    const e = evalLoss.values;
    evidence.push({
      metric: 'eval_loss',
      message: `The eval loss did not improve either: ${fmt(e[0])} to ${fmt(e[e.length - 1])}.`,
      steps: [evalLoss.steps[0], evalLoss.steps[e.length - 1]],
      values: { first_eval_loss: e[0], last_eval_loss: e[e.length - 1] },
    });
  }
  const peakLr = lr.values.length ? Math.max(...lr.values) : Number.NaN;
  const advice: string[] = [];
  if (Number.isFinite(peakLr)) {
    evidence.push({ metric: 'learning_rate', message: `The learning rate peaked at ${fmt(peakLr)}.`, steps: [], values: { peak_learning_rate: peakLr } });
    if (peakLr < TINY_LR) {
      advice.push(`Raise the learning rate: ${fmt(peakLr)} is far too low to change the model. LoRA usually learns at 1e-4 to 5e-4, full fine-tuning at 1e-5 to 5e-5.`);
    } else {
      advice.push(`Raise the learning rate 3 to 10 times (it peaked at ${fmt(peakLr, 2)}), or let "auto" choose it.`);
    }
  } else {
    advice.push('Raise the learning rate 3 to 10 times, or let "auto" choose it.');
  }
  const gMed = median(gradNorm.values);
  if (gradNorm.values.length && gMed < 1e-6) {
    evidence.push({ metric: 'grad_norm', message: `The gradients are almost zero (median grad norm ${fmt(gMed)}).`, steps: [], values: { median_grad_norm: gMed } });
    advice.push('Check that the model has trainable parameters and that the answer tokens are not all masked out of the loss.');
  }
  advice.push(
    'Train for more steps or epochs if the run was short.',
    'Check the data: answers that are random, contradictory or identical for every prompt leave nothing to learn.',
  );
  return { verdict: 'not_converging', evidence, advice };
}
