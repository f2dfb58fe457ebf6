import type { LabelSet } from '@whetstone/core';
import type { LengthHistogram, LengthSummary } from './length-summary.ts';

/** What a dataset holds, as stored on the Dataset and shown in the UI. */
export interface DatasetStats {
  rows: number;
  turns: { total: number; mean: number; max: number };
  /** Messages per role (chosen and rejected count as assistant). */
  roles: Record<string, number>;
  characters: { total: number; chinese: number; other: number; per_sample: LengthSummary };
  english_words: number;
  /** Rows that repeat an earlier row, exactly and once normalized (case, width, spaces, punctuation). */
  duplicates: { exact: number; normalized: number };
  tokens: TokenStats | null;
  /** The answers' closed set when the rows are a labelling set (see labels/label-counter.ts); null otherwise. */
  label_set: LabelSet | null;
}

export interface TokenStats {
  /** The tokenizer.json that counted. */
  tokenizer: string;
  /** Whether the chat template's own tokens are counted (they are when the model has one). */
  includes_chat_template: boolean;
  total: number;
  per_sample: LengthSummary;
  histogram: LengthHistogram;
  /** [tokens, samples] pairs; lengths are rounded up to `length_bucket` tokens when there are many. */
  length_counts: [number, number][];
  length_bucket: number;
  /** The model's tokens per Chinese character and per English word on this data (null if none). */
  per_chinese_char: number | null;
  per_english_word: number | null;
}
