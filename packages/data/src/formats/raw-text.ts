import type { TextRow } from '../types.ts';
import type { FieldReader } from './field-reader.ts';

/** Raw text for continued pre-training: {"text": "..."}; other fields are dropped. */
export function normalizeRawText(rec: Record<string, unknown>, r: FieldReader): TextRow | null {
  const text = r.text(rec, 'text', 'text', 'the text to train on');
  return text === undefined ? null : { text };
}
