import { basename, extname } from 'node:path';

/**
 * The subject a per-subject benchmark file is named for, as MMLU (`abstract_algebra_test.csv`)
 * and C-Eval (`accountant_val.csv`) name theirs; null for any other name.
 */
export function subjectFromFilename(filename: string | undefined): string | null {
  if (!filename) return null;
  const stem = basename(filename, extname(filename));
  const m = /^(.+?)_(test|dev|val|validation)$/.exec(stem);
  return m ? m[1]! : null;
}
