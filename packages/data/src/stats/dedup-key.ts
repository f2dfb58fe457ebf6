import { createHash } from 'node:crypto';

export type DedupMode = 'exact' | 'normalized';

/**
 * A 48-bit number that stands for a text (the first bytes of its MD5): small to keep in a Set
 * for millions of rows, and collisions stay below one in a million at a million rows.
 */
export function textKey(text: string): number {
  return createHash('md5').update(text).digest().readUIntBE(0, 6);
}

/** What "the same sample" means once case, width, spacing and punctuation are ignored. */
export function normalizeForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}
