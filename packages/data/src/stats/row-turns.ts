import type { ChatMessage, NormalizedRow } from '../types.ts';

/** The turns of any normalized row: a text row is one turn with no role. */
export function rowTurns(row: NormalizedRow): { role: string; content: string; tool_calls?: unknown }[] {
  if ('text' in row) return [{ role: 'text', content: row.text }];
  if ('chosen' in row) return [...row.messages, row.chosen, row.rejected];
  return row.messages;
}

/** Text that decides whether two rows are "the same" once normalized. */
export function rowDedupText(row: NormalizedRow, normalize: (s: string) => string): string {
  return rowTurns(row)
    .map((m: Pick<ChatMessage, 'role' | 'content'> | { role: string; content: string }) => `${m.role}\u0001${normalize(m.content)}`)
    .join('\u0002');
}
