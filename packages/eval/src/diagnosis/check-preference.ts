import type { DiagnosisFinding } from '@whetstone/core';

import { fmt, median, type Series } from './metric-series.ts';

/** A reward margin that moved less than this (in reward units, beta x log-ratio) never opened up. */
export const FLAT_MARGIN = 0.05;
/** Both rewards fell by at least this much: the model lowers the chosen answers' likelihood too. */
export const FALLING_REWARD = 0.5;

const ends = (s: Series) => {
  const k = Math.max(1, Math.min(5, Math.floor(s.values.length / 4)));
  return { head: median(s.values.slice(0, k)), tail: median(s.values.slice(-k)), headStep: s.steps[0]!, tailStep: s.steps[s.steps.length - 1]! };
};

/**
 * Preference learning's two known failures, from the rewards TRL logs (dpo, orpo):
 * - the margin between the chosen and rejected rewards stays flat: the model is not learning to
 *   prefer the chosen answers (too low a rate, or pairs whose answers hardly differ);
 * - both rewards fall: the model makes the chosen answers less likely too and only makes the
 *   rejected ones fall faster, which often degrades its answers (a rate too high, beta too low).
 * Judged only with enough steps (at least 8 points of each series).
 */
export function checkPreference(margin: Series, chosen: Series, rejected: Series, accuracy: Series): DiagnosisFinding[] {
  const out: DiagnosisFinding[] = [];
  if (margin.values.length >= 8) {
    const m = ends(margin);
    const acc = accuracy.values.length ? ends(accuracy).tail : Number.NaN;
    if (Math.abs(m.tail - m.head) < FLAT_MARGIN && !(acc > 0.75)) {
      out.push({
        verdict: 'not_converging',
        evidence: [
          {
            metric: 'reward_margin',
            message: `The reward margin between chosen and rejected answers stayed flat: ${fmt(m.head)} at step ${m.headStep}, ${fmt(m.tail)} at step ${m.tailStep}${Number.isFinite(acc) ? `, with a preference accuracy of ${fmt(acc * 100, 3)}%` : ''}.`,
            steps: [m.headStep, m.tailStep],
            values: { start_margin: m.head, end_margin: m.tail, accuracy: Number.isFinite(acc) ? acc : null },
          },
        ],
        advice: [
          'The model is not learning to prefer the chosen answers. Raise the learning rate (preference learning wants about a tenth of the SFT rate, not a hundredth) or train longer.',
          'Check that the chosen and rejected answers of a pair really differ; near-identical pairs teach nothing.',
        ],
      });
    }
  }
  if (chosen.values.length >= 8 && rejected.values.length >= 8) {
    const c = ends(chosen);
    const r = ends(rejected);
    if (c.head - c.tail >= FALLING_REWARD && r.head - r.tail >= FALLING_REWARD) {
      out.push({
        verdict: 'rewards_falling',
        evidence: [
          {
            metric: 'rewards_chosen',
            message: `The chosen answers' reward fell from ${fmt(c.head)} to ${fmt(c.tail)} while the rejected answers' fell from ${fmt(r.head)} to ${fmt(r.tail)}: the model makes its preferred answers less likely too, and only pushes the rejected ones down faster.`,
            steps: [c.headStep, c.tailStep],
            values: { chosen_start: c.head, chosen_end: c.tail, rejected_start: r.head, rejected_end: r.tail },
          },
        ],
        advice: [
          'Lower the learning rate or raise beta (it keeps the model closer to the reference), and check the answers of the result in the playground.',
          'Or use ORPO, whose SFT term keeps the chosen answers likely, or run SFT on the chosen answers first.',
        ],
      });
    }
  }
  return out;
}
