import type { DatasetLineError, Message } from '@whetstone/core';

/** Row shapes a file may hold; every one is normalized to the internal form. */
export const FORMAT_NAMES = ['alpaca', 'sharegpt', 'openai', 'preference', 'text', 'mmlu', 'ceval', 'cmmlu', 'choices'] as const;
/** The multiple-choice family: benchmark questions, scored rather than trained on. */
export const MULTIPLE_CHOICE_FORMATS = ['mmlu', 'ceval', 'cmmlu', 'choices'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How the rows are packed in the file. */
export const CONTAINER_NAMES = ['jsonl', 'json', 'csv', 'parquet', 'text'] as const;
export type ContainerName = (typeof CONTAINER_NAMES)[number];

/** What a format trains: supervised chats, preference pairs, or raw text. */
export type DatasetPurpose = 'sft' | 'preference' | 'pretrain' | 'multiple_choice';

export const PURPOSE_OF_FORMAT: Record<FormatName, DatasetPurpose> = {
  alpaca: 'sft',
  sharegpt: 'sft',
  openai: 'sft',
  preference: 'preference',
  text: 'pretrain',
  mmlu: 'multiple_choice',
  ceval: 'multiple_choice',
  cmmlu: 'multiple_choice',
  choices: 'multiple_choice',
};

/** A message of the internal form: role + content, tool calls and the like kept as extra fields. */
export type ChatMessage = Message & Record<string, unknown>;

export interface SftRow {
  messages: ChatMessage[];
  tools?: unknown;
}
export interface PreferenceRow {
  /** The prompt turns, ending with a user turn. */
  messages: ChatMessage[];
  chosen: ChatMessage;
  rejected: ChatMessage;
}
export interface TextRow {
  text: string;
}
/** A multiple-choice question: the right choice by its 0-based index. */
export interface MultipleChoiceRow {
  question: string;
  choices: string[];
  answer_index: number;
  subject?: string;
}
export type NormalizedRow = SftRow | PreferenceRow | TextRow | MultipleChoiceRow;

/** One problem on one line; `code` is one of LINE_ERROR_CODES. */
export type LineError = DatasetLineError;

/** A record as a container reader yields it: the parsed value, or why the line has none. */
export interface RawRecord {
  /** 1-based line where the record starts (the row number for Parquet). */
  line: number;
  value?: unknown;
  error?: LineError;
  /** Cells of CSV hold strings only: structured fields arrive as JSON text. */
  stringCells?: boolean;
}
