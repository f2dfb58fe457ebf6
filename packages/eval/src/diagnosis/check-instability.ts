import type { DiagnosisEvidence, DiagnosisFinding } from '@whetstone/core';

import { fmt, median, pct, type Series } from './metric-series.ts';

/** A loss above its first logged value by more than this is climbing, not learning. */
export const CLIMB_RATIO = 1.15;
/** A loss point this far above the median of the five before it is a spike. */
export const LOSS_SPIKE_RATIO = 1.5;
/** A grad-norm point this far above the median of the five before it is a spike... */
export const GRAD_SPIKE_RATIO = 5;
/** ...and one this far is unstable on its own (otherwise two spikes are needed). */
export const GRAD_SPIKE_ALONE_RATIO = 20;
const WINDOW = 5;
/**
 * Per-step logging of small batches is noisy: a threshold never sits below this many times the
 * run's typical step-to-step change (the median |log(v[i] / v[i-1])|), so noise alone is no spike.
 */
export const NOISE_MULTIPLE = 4;
/**
 * A loss spike must also rise by this share of the loss the run started from. Near zero (a small
 * training set learned by heart) one wrong token in a batch moves the loss from 0.003 to 0.08,
 * 25x in ratio and 2% of a starting loss of 3.3: noise, not updates that overshoot.
 */
export const LOSS_SPIKE_MIN_RISE = 0.05;

/**
 * Unstable training: NaN or infinite values, a loss that climbs above where it started, loss
 * spikes, grad-norm spikes, or a grad norm that grows tenfold over the run (exploding).
 */
export function checkInstability(loss: Series, evalLoss: Series, gradNorm: Series, lr: Series, jobError?: { code: string; message: string } | null): DiagnosisFinding | undefined {
  const evidence: DiagnosisEvidence[] = [];
  if (jobError?.code === 'TRAINING_DIVERGED') {
    evidence.push({ metric: 'job', message: `The worker stopped the run: ${jobError.message}`, steps: [], values: {} });
  }
  for (const [name, s] of [['loss', loss], ['eval_loss', evalLoss], ['grad_norm', gradNorm]] as const) {
    const bad = s.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      evidence.push({ metric: name, message: `${name} became ${s.values[bad]} at step ${s.steps[bad]}: the run diverged.`, steps: [s.steps[bad]], values: { [name]: null } });
    }
  }

  const finite = (s: Series) => s.values.every(Number.isFinite);
  if (loss.values.length >= 2 && finite(loss)) {
    const first = loss.values[0];
    const noise = typicalChange(loss);
    const spikes = findSpikes(loss, Math.max(LOSS_SPIKE_RATIO, Math.exp(NOISE_MULTIPLE * noise)));
    let top = 1;
    for (let i = 2; i < loss.values.length; i++) if (loss.values[i] > loss.values[top]) top = i;
    // A single point above the start is a spike (below); a climb is the loss going up from the start.
    const climb = Math.max(CLIMB_RATIO, Math.exp((NOISE_MULTIPLE / 2) * noise));
    if (first > 0 && loss.values[top] > first * climb && !spikes.some((p) => p.index === top)) {
      evidence.push({
        metric: 'loss',
        message: `The loss climbed to ${fmt(loss.values[top])} at step ${loss.steps[top]}, above its first value ${fmt(first)} at step ${loss.steps[0]} (${pct(first, loss.values[top])}): the updates overshoot.`,
        steps: [loss.steps[0], loss.steps[top]],
        values: { first_loss: first, peak_loss: loss.values[top] },
      });
    }
    const start = median(loss.values.slice(0, 3));
    const large = spikes.filter((p) => loss.values[p.index] - p.base >= LOSS_SPIKE_MIN_RISE * start);
    if (large.length > 0) {
      evidence.push({
        metric: 'loss',
        message: `${large.length} loss spike${large.length > 1 ? 's' : ''}: ${describeSpikes(loss, large)}.`,
        steps: large.map((s) => loss.steps[s.index]),
        values: { spikes: large.length, worst_ratio: Math.max(...large.map((s) => s.ratio)) },
      });
    }
  }

  if (gradNorm.values.length >= 4 && finite(gradNorm)) {
    // Like loss spikes, a grad-norm spike must reach the grad norm the run started with: once the
    // training rows are learned by heart the norm falls to a few hundredths, and a batch with one
    // unlearned token lifts it back to an ordinary value (the demo model's newcomer run: 0.07 to
    // 1.3, having started at 2.2), which clipping keeps an ordinary update.
    const startNorm = median(gradNorm.values.slice(0, 5));
    const spikes = findSpikes(gradNorm, Math.max(GRAD_SPIKE_RATIO, Math.exp(NOISE_MULTIPLE * typicalChange(gradNorm)))).filter((p) => gradNorm.values[p.index] >= startNorm);
    const worst = Math.max(0, ...spikes.map((s) => s.ratio));
    if (spikes.length >= 2 || worst >= GRAD_SPIKE_ALONE_RATIO) {
      evidence.push({
        metric: 'grad_norm',
        message: `${spikes.length} grad-norm spike${spikes.length > 1 ? 's' : ''}: ${describeSpikes(gradNorm, spikes)}.`,
        steps: spikes.map((s) => gradNorm.steps[s.index]),
        values: { spikes: spikes.length, worst_ratio: worst, median_grad_norm: median(gradNorm.values) },
      });
    }
    if (gradNorm.values.length >= 8) {
      const q = Math.floor(gradNorm.values.length / 4);
      const head = median(gradNorm.values.slice(0, q));
      const tail = median(gradNorm.values.slice(-q));
      if (head > 0 && tail > head * 10) {
        evidence.push({
          metric: 'grad_norm',
          message: `The grad norm is exploding: its median grew from ${fmt(head)} in the first quarter of the run to ${fmt(tail)} in the last.`,
          steps: [gradNorm.steps[0], gradNorm.steps[gradNorm.steps.length - 1]],
          values: { first_quarter_median: head, last_quarter_median: tail },
        });
      }
    }
  }
  if (evidence.length === 0) return undefined;

  const peakLr = lr.values.length ? Math.max(...lr.values.filter(Number.isFinite)) : Number.NaN;
  const advice = [
    Number.isFinite(peakLr)
      ? `Lower the learning rate: it peaked at ${fmt(peakLr)}; try ${fmt(peakLr / 3, 2)} to ${fmt(peakLr / 10, 2)}.`
      : 'Lower the learning rate 3 to 10 times.',
    'Keep gradient clipping on (max_grad_norm 1.0) and use a warm-up (warmup_ratio 0.03 to 0.1), so the first updates are small.',
    'Look for broken samples near the spikes (empty answers, very long or garbled rows): `whet data` shows the validation report.',
  ];
  if (evidence.some((e) => e.values[e.metric] === null || e.metric === 'job')) {
    advice.push('Resume from the last checkpoint before the divergence with the lower learning rate, or restart.');
  }
  return { verdict: 'unstable', evidence, advice };
}

interface Spike {
  index: number;
  ratio: number;
  base: number;
}

/** The median |log(v[i] / v[i-1])| over the run: how much the series moves from one point to the next. */
function typicalChange(s: Series): number {
  const changes: number[] = [];
  for (let i = 1; i < s.values.length; i++) {
    if (s.values[i] > 0 && s.values[i - 1] > 0) changes.push(Math.abs(Math.log(s.values[i] / s.values[i - 1])));
  }
  return changes.length ? median(changes) : 0;
}

/** Points above `ratio` times the median of the (up to) five points before them, from the fourth point on. */
function findSpikes(s: Series, ratio: number): Spike[] {
  const out: Spike[] = [];
  for (let i = 3; i < s.values.length; i++) {
    const base = median(s.values.slice(Math.max(0, i - WINDOW), i));
    if (base > 0 && s.values[i] > base * ratio) out.push({ index: i, ratio: s.values[i] / base, base });
  }
  return out;
}

function describeSpikes(s: Series, spikes: Spike[]): string {
  const shown = spikes.slice(0, 3).map((p) => `${fmt(s.values[p.index])} at step ${s.steps[p.index]} (${fmt(p.ratio, 2)}x the ${fmt(p.base)} before it)`);
  return shown.join(', ') + (spikes.length > 3 ? ` and ${spikes.length - 3} more` : '');
}
