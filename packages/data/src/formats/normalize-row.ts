import type { FormatName, LineError, NormalizedRow } from '../types.ts';
import { FieldReader } from './field-reader.ts';
import { normalizeAlpaca } from './alpaca.ts';
import { normalizeShareGpt } from './sharegpt.ts';
import { normalizeOpenAiChat } from './openai-chat.ts';
import { normalizePreference } from './preference.ts';
import { normalizeRawText } from './raw-text.ts';
import { normalizeChoiceList, normalizeLetterColumns } from './multiple-choice.ts';

const NORMALIZERS: Record<FormatName, (rec: Record<string, unknown>, r: FieldReader) => NormalizedRow | null> = {
  alpaca: normalizeAlpaca,
  sharegpt: normalizeShareGpt,
  openai: normalizeOpenAiChat,
  preference: normalizePreference,
  text: normalizeRawText,
  mmlu: normalizeLetterColumns('question', 'answer'),
  ceval: normalizeLetterColumns('question', 'answer'),
  cmmlu: normalizeLetterColumns('Question', 'Answer'),
  choices: normalizeChoiceList,
};

/** One row of a known format to the internal form, or every problem found in it. */
export function normalizeRow(
  format: FormatName,
  rec: Record<string, unknown>,
  line: number,
  stringCells = false,
): { row: NormalizedRow; errors: null } | { row: null; errors: LineError[] } {
  const r = new FieldReader(line, stringCells);
  const row = NORMALIZERS[format](rec, r);
  if (row && r.ok) return { row, errors: null };
  return { row: null, errors: r.errors.length > 0 ? r.errors : [{ line, code: 'wrong_type', message: 'The row could not be read.' }] };
}
