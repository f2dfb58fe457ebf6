import type { ChatMessage } from '../types.ts';
import type { FieldReader } from './field-reader.ts';
import { noAssistantTurn, roleOrder } from '../errors/conversation-errors.ts';

/**
 * The order rules every chat must follow: an optional system turn first, then user and
 * assistant alternating, tool results only right after an assistant turn (or another tool
 * result), at least one assistant turn to learn from. Reports the first break only.
 * `fieldOf(i)` names turn i's role field in the source row.
 */
export function checkTurns(messages: readonly ChatMessage[], r: FieldReader, listField: string, fieldOf: (i: number) => string): void {
  if (!followsOrder(messages, r, fieldOf)) return;
  if (!messages.some((m) => m.role === 'assistant')) r.fail(noAssistantTurn(r.line, listField));
}

/** Reports the first turn that breaks the order rules; false when one does. */
function followsOrder(messages: readonly ChatMessage[], r: FieldReader, fieldOf: (i: number) => string): boolean {
  let prev: string | null = null;
  for (let i = 0; i < messages.length; i++) {
    const role = messages[i]!.role;
    const problem = orderProblem(prev, role, i);
    if (problem) {
      r.fail(roleOrder(r.line, fieldOf(i), problem));
      return false;
    }
    prev = role;
  }
  return true;
}

/** Why turn i (of `role`, after one of `prev`) breaks the order rules, or null. */
export function orderProblem(prev: string | null, role: string, i: number): string | null {
  if (role === 'system') return i === 0 ? null : `A system turn at position ${i + 1}; only the first turn may be system`;
  if (prev === null || prev === 'system') {
    return role === 'user' ? null : `The conversation starts with ${article(role)} turn instead of a user turn`;
  }
  if (prev === 'user' && role !== 'assistant') return `Two ${role === 'user' ? 'user turns' : `turns (user, then ${role})`} in a row at positions ${i} and ${i + 1}; a user turn must be answered by the assistant`;
  if (prev === 'assistant' && role === 'assistant') return `Two assistant turns in a row at positions ${i} and ${i + 1}; merge them or put a user turn between`;
  if (prev === 'tool' && role === 'user') return `A user turn right after a tool result at position ${i + 1}; the assistant must answer the tool result first`;
  return null;
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`;
}

/** Prompt turns of a preference pair must end with the user's turn the answers reply to. */
export function checkPromptTurns(messages: readonly ChatMessage[], r: FieldReader, fieldOf: (i: number) => string): void {
  if (!followsOrder(messages, r, fieldOf)) return;
  const last = messages.at(-1)?.role ?? null;
  if (last !== 'user' && last !== 'tool') {
    r.fail(roleOrder(r.line, fieldOf(messages.length - 1), 'The prompt must end with a user turn, which "chosen" and "rejected" answer'));
  }
}
