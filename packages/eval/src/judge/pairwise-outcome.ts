import type { PairVerdict } from './parse-verdict.ts';

export type PairOutcome = 'a' | 'b' | 'tie' | 'invalid';

/**
 * Combine the verdicts of both orders into one outcome for columns a and b. `first` was judged
 * with a shown as assistant A, `swapped` with b shown as assistant A. MT-Bench's rule: a winner
 * only when both orders name the same one (after undoing the swap); any disagreement, a tie in
 * one order included, is an (inconsistent) tie. An unreadable verdict in either order is invalid.
 */
export function pairwiseOutcome(first: PairVerdict | null, swapped: PairVerdict | null): { outcome: PairOutcome; inconsistent: boolean } {
  if (first === null || swapped === null) return { outcome: 'invalid', inconsistent: false };
  const inFirst = first === 'A' ? 'a' : first === 'B' ? 'b' : 'tie';
  const inSwapped = swapped === 'A' ? 'b' : swapped === 'B' ? 'a' : 'tie';
  if (inFirst === inSwapped) return { outcome: inFirst, inconsistent: false };
  return { outcome: 'tie', inconsistent: true };
}
