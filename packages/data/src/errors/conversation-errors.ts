import type { LineError } from '../types.ts';

/** Problems with the turns of a conversation: who speaks, and in what order. */

export function unknownRole(line: number, field: string, role: string, allowed: readonly string[]): LineError {
  return {
    line,
    field,
    code: 'unknown_role',
    message: `Unknown role ${JSON.stringify(role)}. Use one of ${allowed.map((r) => `"${r}"`).join(', ')}.`,
  };
}

export function noAssistantTurn(line: number, field: string): LineError {
  return {
    line,
    field,
    code: 'no_assistant_turn',
    message: 'The conversation has no assistant turn, so there is nothing to learn from. Add the answer the model should give.',
  };
}

export function roleOrder(line: number, field: string, detail: string): LineError {
  return {
    line,
    field,
    code: 'role_order',
    message: `${detail}. Order turns as: optional system first, then user and assistant alternating (tool results right after the assistant turn that called the tool).`,
  };
}
