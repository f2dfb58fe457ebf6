import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DiagnosisSchema } from '@whetstone/core';

import { diagnoseTraining } from './diagnose-training.ts';
import type { MetricPointLike } from './metric-series.ts';

// Recorded curves: real transformers Trainer runs of a tiny Llama in five regimes
// (packages/eval/reference/record_training_curves.py), stored as the server stores metric points.
const recorded = (name: string) =>
  (JSON.parse(readFileSync(new URL(`fixtures/recorded-${name}.json`, import.meta.url), 'utf8')) as { series: MetricPointLike[] }).series;

/** A synthetic run: loss, eval_loss every `evalEvery` steps, grad_norm and a linear-decay learning rate. */
function curve(
  steps: number,
  f: { loss: (s: number) => number; evalLoss?: (s: number) => number; grad?: (s: number) => number; lr?: (s: number) => number },
  evalEvery = 10,
): MetricPointLike[] {
  const out: MetricPointLike[] = [];
  const noise = (s: number) => Math.sin(s * 12.9898) * 0.5; // deterministic, in [-0.5, 0.5]
  for (let s = 5; s <= steps; s += 5) {
    out.push({ step: s, name: 'loss', value: f.loss(s) * (1 + 0.02 * noise(s)) });
    out.push({ step: s, name: 'grad_norm', value: f.grad ? f.grad(s) : 1 + 0.1 * noise(s + 1) });
    out.push({ step: s, name: 'learning_rate', value: f.lr ? f.lr(s) : 2e-4 * (1 - s / (steps + 5)) });
    if (f.evalLoss && s % evalEvery === 0) out.push({ step: s, name: 'eval_loss', value: f.evalLoss(s) });
  }
  return out;
}

const decay = (from: number, to: number, rate: number) => (s: number) => to + (from - to) * Math.exp(-s / rate);

describe('diagnoseTraining on recorded curves', () => {
  it.each([
    ['healthy', 'healthy'],
    ['not-converging', 'not_converging'],
    ['overfitting', 'overfitting'],
    ['unstable', 'unstable'],
    ['unstable-grad-spikes', 'unstable'],
  ] as const)('%s -> %s, with evidence and advice that fit the schema', (name, verdict) => {
    const d = diagnoseTraining(recorded(name));
    expect(DiagnosisSchema.parse(d)).toEqual(d);
    expect(d.verdict).toBe(verdict);
    expect(d.findings.map((f) => f.verdict)).toEqual([verdict]);
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.advice.length).toBeGreaterThan(0);
    expect(d.points.loss).toBeGreaterThanOrEqual(40);
  });

  it('puts the numbers in the evidence', () => {
    const over = diagnoseTraining(recorded('overfitting'));
    expect(over.summary).toBe('Over-fitting. The eval loss was lowest at step 24 (3.781) and has risen since, to 5.949 at step 180 (+57%).');
    expect(over.evidence[0].values).toMatchObject({ best_step: 24 });
    expect(over.advice[0]).toMatch(/fewer epochs: stop around step 24/);
    expect(over.evidence[2].message).toMatch(/gap between eval and training loss grew from 0\.7358 to 5\.905/);

    const flat = diagnoseTraining(recorded('not-converging'));
    expect(flat.evidence.find((e) => e.metric === 'learning_rate')!.values.peak_learning_rate).toBeCloseTo(9.8e-8, 12);
    expect(flat.advice[0]).toMatch(/^Raise the learning rate: 9\.8e-8 is far too low/);

    const spikes = diagnoseTraining(recorded('unstable-grad-spikes'));
    const grad = spikes.evidence.find((e) => e.metric === 'grad_norm')!;
    expect(grad.steps).toContain(70);
    expect(grad.message).toMatch(/10\.86 at step 70 \(53x the 0\.2056 before it\)/);
    expect(spikes.advice[0]).toMatch(/Lower the learning rate: it peaked at 0\.049; try 0\.016 to 0\.0049/);
  });
});

describe('diagnoseTraining on synthetic curves', () => {
  it('healthy: a decaying loss followed by the eval loss; advises more epochs while it still falls', () => {
    const d = diagnoseTraining(curve(200, { loss: decay(3, 1, 30), evalLoss: decay(3.1, 1.1, 30) }));
    expect(d.verdict).toBe('healthy');
    expect(d.advice[0]).toMatch(/levelled off/);
    const still = diagnoseTraining(curve(200, { loss: decay(3, 0.5, 400), evalLoss: decay(3.1, 0.6, 400) }));
    expect(still.verdict).toBe('healthy');
    expect(still.advice[0]).toMatch(/still going down at the end: another epoch/);
  });

  it('healthy: per-step logging of small batches, loss and grad norm noisy by +-45%', () => {
    const jitter = (s: number, k: number) => 1 + 0.9 * (((Math.sin(s * k) * 43758.5453) % 1 + 1) % 1 - 0.5);
    const points: MetricPointLike[] = [];
    for (let s = 1; s <= 120; s++) {
      points.push({ step: s, name: 'loss', value: decay(2.5, 1.0, 40)(s) * jitter(s, 12.9898) });
      points.push({ step: s, name: 'grad_norm', value: 1.5 * jitter(s, 78.233) });
      points.push({ step: s, name: 'learning_rate', value: 2e-4 });
    }
    const d = diagnoseTraining(points);
    expect(d.findings.map((f) => f.verdict)).toEqual(['healthy']);
    // The same run with a real blow-up is still caught.
    points.push({ step: 121, name: 'loss', value: 9 });
    expect(diagnoseTraining(points).verdict).toBe('unstable');
  });

  it('healthy: a flat loss during warm-up is not counted against the run', () => {
    const warm = (s: number) => (s <= 40 ? 2e-4 * (s / 40) : 2e-4);
    const d = diagnoseTraining(curve(200, { loss: (s) => (s <= 40 ? 3 : decay(3, 1.2, 40)(s - 40)), lr: warm }));
    expect(d.verdict).toBe('healthy');
  });

  it('not converging: a flat loss, with a learning rate that is not tiny', () => {
    const d = diagnoseTraining(curve(200, { loss: () => 2.5, evalLoss: () => 2.6 }));
    expect(d.verdict).toBe('not_converging');
    expect(d.advice[0]).toMatch(/Raise the learning rate 3 to 10 times \(it peaked at 2e-4\)/);
  });

  it('not converging: near-zero gradients point at frozen weights or masked labels', () => {
    const d = diagnoseTraining(curve(100, { loss: () => 2.5, grad: () => 0 }));
    expect(d.verdict).toBe('not_converging');
    expect(d.advice.join(' ')).toMatch(/trainable parameters/);
  });

  it('over-fitting: eval loss turning up while the training loss keeps falling', () => {
    const d = diagnoseTraining(curve(300, { loss: decay(3, 0.05, 60), evalLoss: (s) => 2 + 0.5 * ((s - 100) / 100) ** 2 }));
    expect(d.verdict).toBe('overfitting');
    expect(d.evidence[0].values.best_step).toBe(100);
  });

  it('an early-stopped run is not over-fitting: the eval loss turned, and the best model was kept', () => {
    const points = curve(160, { loss: decay(3, 0.05, 60), evalLoss: (s) => 2 + 0.5 * ((s - 100) / 100) ** 2 });
    expect(diagnoseTraining(points).verdict).toBe('overfitting'); // the same curve, had it not stopped
    const stopped_early = { step: 160, best_step: 100, best_eval_loss: 2, patience: 3 };
    const d = diagnoseTraining(points, { job: { status: 'succeeded', stopped_early } });
    expect(DiagnosisSchema.parse(d)).toEqual(d);
    expect(d.verdict).toBe('healthy');
    expect(d.findings.map((f) => f.verdict)).toEqual(['healthy']);
    const note = d.evidence.find((e) => e.message.startsWith('Early stopping'));
    expect(note?.message).toBe(
      'Early stopping ended the run at step 160: the eval loss had not improved for 3 evaluations, so the model of step 100 (eval loss 2) is the result, and the steps up to it are what is judged here.',
    );
    expect(d.points.last_step).toBe(100);
    expect(note?.values).toEqual({ stopped_at_step: 160, best_step: 100, best_eval_loss: 2 });
  });

  it('not unstable: single wrong tokens once the training rows are learned by heart (measured on the demo model)', () => {
    // The newcomer's run of issue 16 (SmolLM2-135M, 43 demo chats, batch 4): the loss fell from
    // 3.3 to a few thousandths, where one batch with a wrong token reads 0.05 to 0.08.
    const tail = [0.006, 0.0062, 0.0058, 0.0498, 0.0041, 0.0034, 0.0036, 0.0793, 0.0031, 0.0804, 0.0029, 0.0033];
    const points = curve(200, { loss: decay(3.3, 0.003, 15), evalLoss: decay(2.1, 1.6, 30) }).filter((p) => p.step <= 140);
    tail.forEach((value, i) => points.push({ step: 145 + 5 * i, name: 'loss', value }));
    const d = diagnoseTraining(points);
    expect(d.findings.map((f) => f.verdict)).not.toContain('unstable');
    // The same jumps from a loss that is still large are spikes.
    const high = curve(200, { loss: () => 1 }).map((p) => (p.name === 'loss' && p.step === 150 ? { ...p, value: 2.5 } : p));
    expect(diagnoseTraining(high).verdict).toBe('unstable');
  });

  it("the newcomer's first job on the demo model (issue 16, recorded by benchmarks/auto-recipe newcomer): healthy", () => {
    const file = JSON.parse(readFileSync(new URL('fixtures/recorded-newcomer-demo.json', import.meta.url), 'utf8'));
    const stopped_early = file.meta.stopped_early;
    expect(stopped_early).toMatchObject({ step: 85, best_step: 51 });
    const d = diagnoseTraining(file.series, { job: { status: 'succeeded', stopped_early } });
    expect(d.verdict).toBe('healthy');
    expect(d.points.last_step).toBe(51);
    // Judged whole, its memorised tail (loss ~0.002, grad norm 0.07 lifted to 1.3 by single batches)
    // is no instability either; only the eval loss can tell memorising apart, and it did.
    expect(diagnoseTraining(file.series).findings.map((f) => f.verdict)).not.toContain('unstable');
  });

  it('not over-fitting: one noisy eval point at the end', () => {
    const evalLoss = (s: number) => (s === 200 ? decay(3.1, 1.1, 60)(s) * 1.06 : decay(3.1, 1.1, 60)(s));
    expect(diagnoseTraining(curve(200, { loss: decay(3, 1, 60), evalLoss })).verdict).toBe('healthy');
  });

  it('unstable: a loss spike in the middle of a healthy run', () => {
    const d = diagnoseTraining(curve(200, { loss: (s) => (s === 120 ? 6 : decay(3, 1, 60)(s)) }));
    expect(d.verdict).toBe('unstable');
    expect(d.evidence[0].message).toMatch(/^1 loss spike: 6\.\d+ at step 120/);
  });

  it('unstable: an exploding grad norm', () => {
    const d = diagnoseTraining(curve(200, { loss: decay(3, 1, 60), grad: (s) => Math.exp(s / 30) }));
    expect(d.verdict).toBe('unstable');
    expect(d.evidence.some((e) => /grad norm is exploding/.test(e.message))).toBe(true);
  });

  it('unstable: a NaN loss (null, as JSON carries it), even early on', () => {
    const points: MetricPointLike[] = [
      { step: 1, name: 'loss', value: 3 },
      { step: 2, name: 'loss', value: null },
    ];
    const d = diagnoseTraining(points);
    expect(d.verdict).toBe('unstable');
    expect(d.evidence[0].message).toBe('loss became NaN at step 2: the run diverged.');
    expect(d.advice.join(' ')).toMatch(/Resume from the last checkpoint/);
  });

  it('unstable: the worker reported TRAINING_DIVERGED', () => {
    const d = diagnoseTraining(curve(60, { loss: decay(3, 1, 60) }), { job: { status: 'failed', error: { code: 'TRAINING_DIVERGED', message: 'loss is nan at step 61' } } });
    expect(d.verdict).toBe('unstable');
    expect(d.evidence[0]).toMatchObject({ metric: 'job', message: 'The worker stopped the run: loss is nan at step 61' });
  });

  it('too early: few points, or a running job 5% through its steps', () => {
    const few = diagnoseTraining(curve(15, { loss: decay(3, 1, 60) }));
    expect(few.verdict).toBe('too_early');
    expect(few.evidence[0].message).toBe('Only 3 loss points so far; 5 are needed to see a trend.');
    expect(few.advice[0]).toMatch(/logging_steps/);
    const running = diagnoseTraining(curve(50, { loss: () => 3 }), { job: { status: 'running', total_steps: 1000 } });
    expect(running.verdict).toBe('too_early');
    expect(running.evidence[0].message).toBe('The job is 5% through its 1000 steps.');
    expect(running.advice[0]).toMatch(/Let it run/);
    expect(diagnoseTraining([]).verdict).toBe('too_early');
  });

  it('reports every finding, the worst first', () => {
    const points = curve(300, { loss: (s) => (s === 250 ? 0.5 : decay(3, 0.05, 60)(s)), evalLoss: (s) => 2 + 0.5 * ((s - 100) / 100) ** 2 });
    const d = diagnoseTraining(points);
    expect(d.findings.map((f) => f.verdict)).toEqual(['unstable', 'overfitting']);
    expect(d.summary).toMatch(/^Unstable\. .* Also over-fitting \(the eval loss was lowest at step 100/);
  });

  it('keeps the last value of a step logged twice (a resumed run)', () => {
    const points = curve(100, { loss: decay(3, 1, 30) });
    points.push({ step: 50, name: 'loss', value: 9 });
    expect(diagnoseTraining(points).verdict).toBe('unstable');
  });
});

describe('preference learning (dpo, orpo)', () => {
  /** A DPO-like run: the loss from log 2, and the rewards TRL logs, each a function of the step. */
  function dpo(f: { chosen: (s: number) => number; rejected: (s: number) => number; loss?: (s: number) => number }): MetricPointLike[] {
    const base = curve(200, { loss: f.loss ?? ((s) => 0.693 * Math.exp(-s / 150)), lr: () => 1e-5 });
    for (let s = 5; s <= 200; s += 5) {
      const c = f.chosen(s);
      const r = f.rejected(s);
      base.push({ step: s, name: 'rewards_chosen', value: c }, { step: s, name: 'rewards_rejected', value: r });
      base.push({ step: s, name: 'reward_margin', value: c - r }, { step: s, name: 'preference_accuracy', value: c - r > 0.1 ? 0.95 : 0.5 });
    }
    return base;
  }

  it('a margin that opens up with the chosen reward held is healthy', () => {
    const d = diagnoseTraining(dpo({ chosen: (s) => 0.1 * (s / 200), rejected: (s) => -2 * (s / 200) }));
    expect(DiagnosisSchema.parse(d).verdict).toBe('healthy');
  });

  it('a flat margin is "not converging", said with the rewards, even when the loss moves a little', () => {
    const d = diagnoseTraining(dpo({ chosen: () => 0.01, rejected: () => 0.005 }));
    expect(d.verdict).toBe('not_converging');
    expect(d.evidence[0]).toMatchObject({ metric: 'reward_margin', message: expect.stringMatching(/^The reward margin between chosen and rejected answers stayed flat: 0\.005 at step 5, 0\.005 at step 200, with a preference accuracy of 50%/) });
    expect(d.advice[0]).toMatch(/a tenth of the SFT rate/);
  });

  it('both rewards falling is "rewards falling", even while the margin grows', () => {
    const d = diagnoseTraining(dpo({ chosen: (s) => -3 * (s / 200), rejected: (s) => -6 * (s / 200) }));
    expect(d.verdict).toBe('rewards_falling');
    expect(d.summary).toMatch(/^Rewards falling\. The chosen answers' reward fell from -0\.\d+ to -2\.\d+ while the rejected answers' fell/);
    expect(d.advice.join(' ')).toMatch(/raise beta/);
  });
});
