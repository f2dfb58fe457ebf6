import type { ChatMessage, MultipleChoiceRow, NormalizedRow } from '../types.ts';

/** The turns of any normalized row: a text row is one turn with no role. */
export function rowTurns(row: NormalizedRow): { role: string; content: string; tool_calls?: unknown }[] {
  if ('text' in row) return [{ role: 'text', content: row.text }];
  if ('chosen' in row) return [...row.messages, row.chosen, row.rejected];
  if ('choices' in row) return multipleChoiceTurns(row);
  return row.messages;
}

/** Text that decides whether two rows are "the same" once normalized. */
export function rowDedupText(row: NormalizedRow, normalize: (s: string) => string): string {
  return rowTurns(row)
    .map((m: Pick<ChatMessage, 'role' | 'content'> | { role: string; content: string }) => `${m.role}\u0001${normalize(m.content)}`)
    .join('\u0002');
}

/** A question as a user turn (question and lettered choices) and its answer as the assistant's. */
function multipleChoiceTurns(row: MultipleChoiceRow): { role: string; content: string }[] {
  const letters = 'ABCDEFGHIJ';
  const prompt = [row.question, ...row.choices.map((c, i) => `${letters[i]}. ${c}`)].join('\n');
  return [
    { role: 'user', content: prompt },
    { role: 'assistant', content: letters[row.answer_index] ?? '' },
  ];
}
