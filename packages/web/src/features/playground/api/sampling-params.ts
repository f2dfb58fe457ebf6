import type { SamplingParams } from './use-playground-session.ts';

/** The sampling fields as typed in the form. */
export type SamplingInput = Record<keyof SamplingParams, string>;

export const DEFAULT_SAMPLING: SamplingInput = { temperature: '0.7', top_p: '1', max_tokens: '256' };

/** Why a field is refused: a message key of the playground's strings and its numbers. */
export interface FieldProblem {
  key: 'range' | 'rangeOpenMin' | 'wholeNumber';
  vars: { min: number; max: number };
}

/**
 * The form's sampling fields as numbers, or each field's problem, checked against the ranges
 * PlaygroundChatSchema accepts (temperature 0-2, top_p above 0 up to 1, max_tokens 1-8192), so
 * a mistake shows beside its field before anything is sent.
 */
export function parseSampling(input: SamplingInput): { params: SamplingParams | null; problems: Partial<Record<keyof SamplingParams, FieldProblem>> } {
  const problems: Partial<Record<keyof SamplingParams, FieldProblem>> = {};
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  const temperature = num(input.temperature);
  if (!(temperature >= 0 && temperature <= 2)) problems.temperature = { key: 'range', vars: { min: 0, max: 2 } };
  const top_p = num(input.top_p);
  if (!(top_p > 0 && top_p <= 1)) problems.top_p = { key: 'rangeOpenMin', vars: { min: 0, max: 1 } };
  const max_tokens = num(input.max_tokens);
  if (!(Number.isInteger(max_tokens) && max_tokens >= 1 && max_tokens <= 8192)) problems.max_tokens = { key: 'wholeNumber', vars: { min: 1, max: 8192 } };
  return { params: Object.keys(problems).length ? null : { temperature, top_p, max_tokens }, problems };
}
