import type { ChatMessage, PreferenceRow } from '../types.ts';
import { invalidValue, missingField, wrongType } from '../errors/field-errors.ts';
import { roleOrder } from '../errors/conversation-errors.ts';
import type { FieldReader } from './field-reader.ts';
import { checkPromptTurns } from './check-turns.ts';
import { readOpenAiTurn, readOpenAiTurns } from './openai-chat.ts';

/** OpenAI's preference (DPO) rows say so by these keys. */
export const isOpenAiDpo = (rec: Record<string, unknown>) => 'preferred_output' in rec || 'non_preferred_output' in rec;

/**
 * OpenAI's DPO format: {input: {messages: [prompt turns], tools?}, preferred_output: [one assistant
 * turn], non_preferred_output: [one assistant turn]}, read to the same preference row as TRL's
 * {messages, chosen, rejected}. Errors name the field as the file spells it (`input.messages[1].role`).
 */
export function normalizeOpenAiDpo(rec: Record<string, unknown>, r: FieldReader): PreferenceRow | null {
  let messages: ChatMessage[] = [];
  if (!r.has(rec, 'input')) r.fail(missingField(r.line, 'input', 'the prompt as {"messages": [...]}'));
  else {
    const input = r.object(rec.input, 'input');
    const list = input ? r.array(input, 'messages', 'input.messages', 'the prompt turns') : undefined;
    if (list) messages = readOpenAiTurns(list, r, 'input.messages');
  }
  const chosen = readOutput(rec, 'preferred_output', 'the preferred answer', r);
  const rejected = readOutput(rec, 'non_preferred_output', 'the worse answer', r);
  if (!r.ok || !chosen || !rejected) return null;
  checkPromptTurns(messages, r, (i) => `input.messages[${i}].role`);
  if (!r.ok) return null;
  return { messages, chosen, rejected };
}

/** A list holding exactly one assistant turn, as OpenAI takes it. */
function readOutput(rec: Record<string, unknown>, key: string, what: string, r: FieldReader): ChatMessage | null {
  if (!r.has(rec, key)) {
    r.fail(missingField(r.line, key, `${what} as [{"role": "assistant", "content": "..."}]`));
    return null;
  }
  const v = rec[key];
  if (!Array.isArray(v)) {
    r.fail(wrongType(r.line, key, 'a list with one assistant turn', v));
    return null;
  }
  if (v.length !== 1) {
    r.fail(invalidValue(r.line, key, `must hold exactly one assistant turn, got ${v.length}. Keep only the answer.`));
    return null;
  }
  const turn = r.object(v[0], `${key}[0]`);
  const m = turn ? readOpenAiTurn(turn, r, `${key}[0]`) : null;
  if (!m) return null;
  if (m.role !== 'assistant') {
    r.fail(roleOrder(r.line, `${key}[0].role`, `"${key}" holds a ${m.role} turn; the answer must come from the assistant`));
    return null;
  }
  const { weight: _weight, ...answer } = m;
  return answer as ChatMessage;
}
