import type { NormalizedRow } from '../types.ts';
import { addNormalizedForDedup } from './dedup-key.ts';
import { rowTurns } from './row-turns.ts';
import { TextHasher } from './text-hasher.ts';

/**
 * The key of a row once normalized for de-duplication: equal to
 * `textKey(rowDedupText(row, normalizeForDedup))`, computed without building that text.
 */
export function rowDedupKey(row: NormalizedRow): number {
  const h = new TextHasher();
  const turns = rowTurns(row);
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    if (i > 0) h.unit(0x02);
    h.text(t.role);
    h.unit(0x01);
    addNormalizedForDedup(t.content, h);
  }
  return h.digest();
}
