import { pySplit } from './python/py-whitespace.ts';

export interface NormalizeOptions {
  /** Keep letter case (default: compare case-insensitively). */
  caseSensitive?: boolean;
}

const PUNCTUATION = /\p{P}/gu;

/**
 * The form two answers are compared in: NFKC (full-width letters and digits become ASCII),
 * lower case unless asked, every punctuation character (Unicode category P, so ，。！？ too)
 * removed, whitespace runs collapsed to one space and trimmed.
 */
export function normalizeAnswer(text: string, opts: NormalizeOptions = {}): string {
  let s = text.normalize('NFKC');
  if (!opts.caseSensitive) s = s.toLowerCase();
  return pySplit(s.replace(PUNCTUATION, '')).join(' ');
}

/** Whether the prediction equals the reference once both are normalized. */
export function exactMatch(prediction: string, reference: string, opts: NormalizeOptions = {}): boolean {
  return normalizeAnswer(prediction, opts) === normalizeAnswer(reference, opts);
}
