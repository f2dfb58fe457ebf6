import type { ChatMessage, SftRow } from '../types.ts';
import { emptyField, missingField, wrongType } from '../errors/field-errors.ts';
import { unknownRole } from '../errors/conversation-errors.ts';
import type { FieldReader } from './field-reader.ts';
import { checkTurns } from './check-turns.ts';

/** ShareGPT speakers (LLaMA-Factory's tags plus common aliases) and their internal roles. */
const SHAREGPT_ROLES: Record<string, ChatMessage['role']> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  system: 'system',
  function_call: 'assistant',
  observation: 'tool',
  tool: 'tool',
};
const SHOWN_ROLES = ['human', 'gpt', 'system', 'function_call', 'observation'];

/** ShareGPT: {conversations: [{from, value}], system?, tools?}; function_call becomes a tool call. */
export function normalizeShareGpt(rec: Record<string, unknown>, r: FieldReader): SftRow | null {
  const key = 'conversations' in rec || !('messages' in rec) ? 'conversations' : 'messages';
  const list = r.array(rec, key, key, 'the conversation turns');
  if (!list) return null;
  const system = r.optionalText(rec, 'system', 'system');
  const tools = rec.tools === undefined ? undefined : r.kept(rec.tools, 'tools');
  const turns = readShareGptTurns(list, r, key);
  if (!r.ok) return null;
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system }, ...turns] : turns;
  const offset = system ? 1 : 0;
  checkTurns(messages, r, key, (i) => (i < offset ? 'system' : `${key}[${i - offset}].from`));
  if (!r.ok) return null;
  return tools === undefined || tools === null || tools === '' ? { messages } : { messages, tools };
}

export function readShareGptTurns(list: unknown[], r: FieldReader, listKey: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  list.forEach((item, i) => {
    const turn = r.object(item, `${listKey}[${i}]`);
    if (!turn) return;
    const m = readShareGptTurn(turn, r, `${listKey}[${i}]`);
    if (m) out.push(m);
  });
  return out;
}

export function readShareGptTurn(turn: Record<string, unknown>, r: FieldReader, path: string): ChatMessage | null {
  const fromKey = 'from' in turn || !('role' in turn) ? 'from' : 'role';
  const valueKey = 'value' in turn || !('content' in turn) ? 'value' : 'content';
  const from = turn[fromKey];
  if (from === undefined || from === null) {
    r.fail(missingField(r.line, `${path}.${fromKey}`, 'the speaker: "human", "gpt", "system", "function_call" or "observation"'));
    return null;
  }
  if (typeof from !== 'string') {
    r.fail(wrongType(r.line, `${path}.${fromKey}`, 'a string', from));
    return null;
  }
  const role = SHAREGPT_ROLES[from];
  if (!role) {
    r.fail(unknownRole(r.line, `${path}.${fromKey}`, from, SHOWN_ROLES));
    return null;
  }
  const value = turn[valueKey];
  const vPath = `${path}.${valueKey}`;
  if (value === undefined || value === null) {
    r.fail(missingField(r.line, vPath, 'the text of the turn'));
    return null;
  }
  if (typeof value !== 'string') {
    r.fail(wrongType(r.line, vPath, 'a string', value));
    return null;
  }
  if (value.trim() === '') {
    r.fail(emptyField(r.line, vPath, 'the text of the turn'));
    return null;
  }
  if (from === 'function_call') return toolCall(value, r, vPath);
  return { role, content: value };
}

function toolCall(value: string, r: FieldReader, path: string): ChatMessage | null {
  let call: unknown;
  try {
    call = JSON.parse(value);
  } catch {
    call = null;
  }
  const c = call as { name?: unknown; arguments?: unknown } | null;
  if (!c || typeof c !== 'object' || typeof c.name !== 'string') {
    r.fail(wrongType(r.line, path, 'a JSON object {"name": ..., "arguments": {...}} as text', value));
    return null;
  }
  const args = r.kept(c.arguments ?? {}, path);
  if (args === undefined) return null;
  return { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: c.name, arguments: args } }] };
}
