import { bootstrapInterval, mean } from './bootstrap-interval.ts';
import type { PairOutcome } from './pairwise-outcome.ts';

export interface WinRate {
  wins: number;
  losses: number;
  ties: number;
  invalid: number;
  /** (wins + ties / 2) / judged, 0 to 1; null when nothing was judged. */
  win_rate: number | null;
  ci95: [number, number] | null;
}

/**
 * Column a's win rate over b from per-sample outcomes: a tie counts half a win, invalid
 * samples are left out. The interval resamples the judged samples (1 a win, 0.5 a tie, 0 a loss).
 */
export function winRate(outcomes: readonly PairOutcome[], opts: { resamples?: number; seed?: number } = {}): WinRate {
  const points = outcomes.filter((o) => o !== 'invalid').map((o) => (o === 'a' ? 1 : o === 'tie' ? 0.5 : 0));
  return {
    wins: outcomes.filter((o) => o === 'a').length,
    losses: outcomes.filter((o) => o === 'b').length,
    ties: outcomes.filter((o) => o === 'tie').length,
    invalid: outcomes.filter((o) => o === 'invalid').length,
    win_rate: points.length ? mean(points) : null,
    ci95: bootstrapInterval(points, mean, opts),
  };
}

/** Mean length in characters (Unicode code points, so a Chinese character counts one) of the answers present. */
export function meanLengthChars(answers: readonly (string | null)[]): number {
  const present = answers.filter((a): a is string => a !== null);
  return present.length ? mean(present.map((a) => [...a].length)) : 0;
}
