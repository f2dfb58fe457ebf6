import type { Diagnosis, DiagnosisEvidence, DiagnosisFinding, StoppedEarly } from '@whetstone/core';

import { checkPreference } from './check-preference.ts';
import { checkConvergence, lossTrend } from './check-convergence.ts';
import { checkInstability } from './check-instability.ts';
import { checkOverfitting } from './check-overfitting.ts';
import { EMPTY_SERIES, fmt, median, metricSeries, pct, type MetricPointLike, type Series } from './metric-series.ts';

/** Fewer loss points than this: too early to judge anything but a divergence. */
export const MIN_LOSS_POINTS = 5;
/** A running job this far into its steps is too early to judge. */
export const MIN_PROGRESS = 0.1;

export interface DiagnoseOptions {
  /** The job, when known: a TRAINING_DIVERGED error counts as evidence, and a job that is still running is judged on its progress. */
  /** `stopped_early`: the result event's report that early stopping ended the run. */
  job?: { status?: string; error?: { code: string; message: string } | null; total_steps?: number | null; stopped_early?: StoppedEarly | null };
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'paused']);

/**
 * A verdict on a training run from its metric series (loss, eval_loss, grad_norm,
 * learning_rate by step), with the evidence in numbers and advice in plain words. The checks
 * run worst first: unstable (NaN, spikes, a climbing loss, an exploding grad norm), then
 * over-fitting (eval loss rising while the training loss falls), then not converging (a flat
 * loss); a run that passes them all is healthy. Every finding is kept in `findings`.
 */
export function diagnoseTraining(points: readonly MetricPointLike[], opts: DiagnoseOptions = {}): Diagnosis {
  // An early-stopped run is judged up to the model it kept: the evaluations after it only confirmed
  // that the eval loss had turned, and their steps (a memorised training set's tail) are thrown away.
  const stoppedEarly = opts.job?.stopped_early ?? null;
  const keptStep = stoppedEarly?.best_step ?? null;
  const series = metricSeries(keptStep === null ? points : points.filter((p) => p.step <= keptStep));
  const get = (name: string): Series => series.get(name) ?? EMPTY_SERIES;
  const loss = get('loss');
  const evalLoss = get('eval_loss');
  const gradNorm = get('grad_norm');
  const lr = get('learning_rate');
  const lastStep = Math.max(...[loss, evalLoss, gradNorm, lr].flatMap((s) => s.steps.slice(-1)), -1);
  const counts = {
    loss: loss.values.length,
    eval_loss: evalLoss.values.length,
    grad_norm: gradNorm.values.length,
    learning_rate: lr.values.length,
    last_step: lastStep < 0 ? null : lastStep,
  };

  const findings: DiagnosisFinding[] = [];
  const unstable = checkInstability(loss, evalLoss, gradNorm, lr, opts.job?.error);
  if (unstable) findings.push(unstable);

  const early = tooEarly(loss, lastStep, opts);
  if (early && !unstable) return result([early], counts);
  if (!early) {
    // Early stopping saw the eval loss turn and kept the best model: the rise after it is why the
    // run stopped, not a model that memorised.
    const overfitting = stoppedEarly ? undefined : checkOverfitting(loss, evalLoss);
    if (overfitting) findings.push(overfitting);
    // Preference learning is judged by its rewards: its loss starts at log 2 and may barely move.
    const preference = checkPreference(get('reward_margin'), get('rewards_chosen'), get('rewards_rejected'), get('preference_accuracy'));
    findings.push(...preference.filter((f) => f.verdict === 'rewards_falling'));
    const flatPreference = preference.find((f) => f.verdict === 'not_converging');
    const flat = flatPreference ?? (loss.values.every(Number.isFinite) && !series.has('reward_margin') ? checkConvergence(loss, evalLoss, gradNorm, lr) : undefined);
    if (flat) findings.push(flat);
    if (findings.length === 0) findings.push(healthy(loss, evalLoss, gradNorm, lr, stoppedEarly));
  }
  return result(findings, counts);
}

function tooEarly(loss: Series, lastStep: number, opts: DiagnoseOptions): DiagnosisFinding | undefined {
  const total = opts.job?.total_steps ?? null;
  const running = opts.job?.status !== undefined && !FINISHED.has(opts.job.status);
  const progress = running && total ? lastStep / total : null;
  if (loss.values.length >= MIN_LOSS_POINTS && (progress === null || progress >= MIN_PROGRESS)) return undefined;
  const evidence: DiagnosisEvidence[] = [
    {
      metric: 'loss',
      message:
        loss.values.length < MIN_LOSS_POINTS
          ? `Only ${loss.values.length} loss point${loss.values.length === 1 ? '' : 's'} so far; ${MIN_LOSS_POINTS} are needed to see a trend.`
          : `The job is ${Math.round((progress ?? 0) * 100)}% through its ${total} steps.`,
      steps: loss.steps.slice(-1),
      values: { loss_points: loss.values.length, last_step: lastStep < 0 ? null : lastStep, total_steps: total },
    },
  ];
  const advice = running
    ? ['Let it run: ask again after a few more logging steps.']
    : ['Log more often (a smaller logging_steps) or train longer, so there is a curve to judge.'];
  return { verdict: 'too_early', evidence, advice };
}

function healthy(loss: Series, evalLoss: Series, gradNorm: Series, lr: Series, stoppedEarly: StoppedEarly | null): DiagnosisFinding {
  const t = lossTrend(loss, lr);
  const evidence: DiagnosisEvidence[] = [
    {
      metric: 'loss',
      message: `The training loss fell from ${fmt(t.head)} at step ${t.headStep} to ${fmt(t.tail)} at step ${t.tailStep} (${pct(t.head, t.tail)}), without spikes.`,
      steps: [t.headStep, t.tailStep],
      values: { start_loss: t.head, end_loss: t.tail, drop: t.drop },
    },
  ];
  const advice: string[] = [];
  let evalStillFalling = false;
  if (evalLoss.values.length >= 2) {
    const e = evalLoss.values;
    let best = 0;
    for (let i = 1; i < e.length; i++) if (e[i] < e[best]) best = i;
    evalStillFalling = best === e.length - 1 && e[e.length - 2] - e[best] > 0.005 * e[best];
    evidence.push({
      metric: 'eval_loss',
      message: `The eval loss followed it, from ${fmt(e[0])} to ${fmt(e[e.length - 1])} (best ${fmt(e[best])} at step ${evalLoss.steps[best]}).`,
      steps: [evalLoss.steps[0], evalLoss.steps[best], evalLoss.steps[e.length - 1]],
      values: { first_eval_loss: e[0], best_eval_loss: e[best], last_eval_loss: e[e.length - 1] },
    });
  }
  if (gradNorm.values.length >= 2) {
    evidence.push({
      metric: 'grad_norm',
      message: `The grad norm stayed in range (median ${fmt(median(gradNorm.values))}, max ${fmt(Math.max(...gradNorm.values))}).`,
      steps: [],
      values: { median_grad_norm: median(gradNorm.values), max_grad_norm: Math.max(...gradNorm.values) },
    });
  }
  if (stoppedEarly) {
    const best = stoppedEarly.best_step;
    evidence.push({
      metric: 'eval_loss',
      message: `Early stopping ended the run at step ${stoppedEarly.step}: the eval loss had not improved for ${stoppedEarly.patience} evaluations${best !== null ? `, so the model of step ${best}${stoppedEarly.best_eval_loss !== null ? ` (eval loss ${fmt(stoppedEarly.best_eval_loss)})` : ''} is the result, and the steps up to it are what is judged here` : ''}.`,
      steps: best !== null ? [best, stoppedEarly.step] : [stoppedEarly.step],
      values: { stopped_at_step: stoppedEarly.step, best_step: best, best_eval_loss: stoppedEarly.best_eval_loss },
    });
    advice.push('The model stopped learning what carries over to held-out rows: more data (or more varied data) helps more than more epochs.');
  } else if (t.lateDrop > 0.05 || evalStillFalling) {
    advice.push('The loss was still going down at the end: another epoch or two may improve the model further; watch the eval loss for a turn upwards.');
  } else {
    advice.push('The loss has levelled off: more epochs of the same data will add little.');
  }
  advice.push('Measure it on held-out data: `whet eval score` on its predictions gives BLEU, ROUGE and exact match.');
  return { verdict: 'healthy', evidence, advice };
}

const SUMMARY: Record<Diagnosis['verdict'], string> = {
  unstable: 'Unstable',
  overfitting: 'Over-fitting',
  rewards_falling: 'Rewards falling',
  not_converging: 'Not converging',
  healthy: 'Healthy',
  too_early: 'Too early to tell',
};

function result(findings: DiagnosisFinding[], points: Diagnosis['points']): Diagnosis {
  const first = findings[0];
  const also = findings.slice(1).map((f) => `${SUMMARY[f.verdict].toLowerCase()} (${lowerFirst(f.evidence[0].message).replace(/\.$/, '')})`);
  const summary = `${SUMMARY[first.verdict]}. ${first.evidence[0].message}${also.length ? ` Also ${also.join('; ')}.` : ''}`;
  return { verdict: first.verdict, summary, evidence: first.evidence, advice: first.advice, findings, points };
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}
