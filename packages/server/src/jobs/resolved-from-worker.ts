import type { Job, PreferenceMetrics, ResolvedValue, WorkerEvent } from '@whetstone/core';

type PlanEvent = Extract<WorkerEvent, { type: 'plan' }>;
type TrialEvent = Extract<WorkerEvent, { type: 'trial' }>;
type ResultEvent = Extract<WorkerEvent, { type: 'result' }>;

const minutes = (s: number) => (s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

/**
 * What the worker measured, stored beside the server's resolved values: the dtype the base
 * computes in (the first plan), the steps a budget fits (`total_steps`) and the learning rate
 * `lr_search` chose, each with its reason.
 */
export function resolvedFromPlan(job: Job, e: PlanEvent): Record<string, ResolvedValue> {
  if (e.dtype && e.dtype_reason) return { ...job.resolved, dtype: { value: e.dtype, source: 'worker', reason: e.dtype_reason } };
  if (e.reason !== 'budget' && e.reason !== 'measured') return job.resolved;
  const pace = e.seconds_per_step != null ? `${e.seconds_per_step.toFixed(2)} s a step` : 'the measured pace';
  let reason: string;
  if (e.reason === 'budget' && e.budget) {
    const left = e.budget.minutes != null ? `${minutes(e.budget.minutes * 60 - e.budget.used_seconds)} of ${e.budget.minutes} min left` : `${e.budget.tokens! - e.budget.used_tokens} of ${e.budget.tokens} tokens left`;
    reason = `the budget fits ${e.total_steps} steps (${e.epochs.toFixed(1)} epochs) at ${pace}, ${left}`;
  } else {
    reason = `${e.total_steps} steps at ${pace}: about ${minutes(e.estimated_seconds ?? 0)} of training`;
  }
  return { ...job.resolved, total_steps: { value: e.total_steps, source: 'worker', reason } };
}

export function resolvedFromTrial(job: Job, e: TrialEvent): Record<string, ResolvedValue> {
  const previous = job.resolved.lr_trials?.value as { learning_rate: number; eval_loss: number | null }[] | undefined;
  const trials = [...(previous ?? []), { learning_rate: e.learning_rate, eval_loss: e.eval_loss }];
  const scored = trials.filter((t) => t.eval_loss !== null);
  const shown = trials.map((t) => `${t.learning_rate}: ${t.eval_loss?.toFixed(4) ?? 'diverged'}`).join(', ');
  const resolved = { ...job.resolved, lr_trials: { value: trials, source: 'worker' as const, reason: `eval loss after ${e.steps} steps at each rate (${shown})` } };
  if (trials.length < e.of || scored.length === 0) return resolved;
  const best = scored.reduce((a, b) => (b.eval_loss! < a.eval_loss! ? b : a));
  return { ...resolved, learning_rate: { value: best.learning_rate, source: 'worker', reason: `lr_search: the lowest eval loss of ${e.of} trials (${shown})` } };
}

/**
 * What the result event adds to the values shown: why a run ended before its planned steps, when
 * early stopping ended it, continued pre-training's held-out perplexity before and after, and
 * preference learning's held-out preference accuracy and reward margin before and after.
 */
export function resolvedFromResult(job: Job, e: ResultEvent): Record<string, ResolvedValue> {
  const withPerplexity = {
    ...job.resolved,
    ...(e.perplexity ? { perplexity: describePerplexity(e.perplexity) } : {}),
    ...(e.preference ? { preference: describePreference(e.preference) } : {}),
  };
  const stop = e.stopped_early;
  if (!stop) return withPerplexity;
  const best = stop.best_step !== null ? `; the model of step ${stop.best_step}${stop.best_eval_loss !== null ? ` (eval loss ${stop.best_eval_loss.toFixed(4)})` : ''} is the result` : '';
  const planned = stop.planned_steps ? ` of ${stop.planned_steps}` : '';
  return {
    ...withPerplexity,
    stopped_early: { value: stop, source: 'worker', reason: `early stopping at step ${stop.step}${planned}: the eval loss had not improved for ${stop.patience} evaluations${best}` },
  };
}

function describePerplexity(p: { before: number | null; after: number | null }): ResolvedValue {
  const fmt = (v: number | null) => (v === null ? 'unknown' : v.toFixed(2));
  const change = p.before && p.after !== null ? ` (${p.after <= p.before ? '' : '+'}${(((p.after - p.before) / p.before) * 100).toFixed(1)}%)` : '';
  return { value: p, source: 'worker', reason: `held-out perplexity ${fmt(p.before)} before training, ${fmt(p.after)} after${change}: lower means the model predicts the domain's text better` };
}

function describePreference(p: { before: PreferenceMetrics | null; after: PreferenceMetrics | null }): ResolvedValue {
  const accuracy = (m: PreferenceMetrics | null) => (m ? `${Math.round(m.accuracy * 100)}%` : 'unknown');
  const margin = (m: PreferenceMetrics | null) => (m ? m.margin.toFixed(3) : 'unknown');
  return {
    value: p,
    source: 'worker',
    reason: `held-out preference accuracy ${accuracy(p.before)} before training, ${accuracy(p.after)} after; reward margin ${margin(p.before)} -> ${margin(p.after)}: the share of pairs whose chosen answer the model now prefers, and by how much`,
  };
}
