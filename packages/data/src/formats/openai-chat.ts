import type { ChatMessage, SftRow } from '../types.ts';
import { emptyField, invalidValue, missingField, wrongType } from '../errors/field-errors.ts';
import { unknownRole } from '../errors/conversation-errors.ts';
import type { FieldReader } from './field-reader.ts';
import { checkTurns } from './check-turns.ts';

/** OpenAI chat roles and the internal role each maps to ("developer" is the newer "system"). */
const OPENAI_ROLES: Record<string, ChatMessage['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};
const KEPT_FIELDS = ['tool_calls', 'tool_call_id', 'name', 'weight'] as const;

/** OpenAI chat: {messages: [{role, content, tool_calls?, tool_call_id?, name?, weight?}], tools?}. */
export function normalizeOpenAiChat(rec: Record<string, unknown>, r: FieldReader): SftRow | null {
  const list = r.array(rec, 'messages', 'messages', 'the conversation turns');
  if (!list) return null;
  const messages = readOpenAiTurns(list, r, 'messages');
  const tools = rec.tools === undefined ? undefined : r.kept(rec.tools, 'tools');
  if (!r.ok) return null;
  checkTurns(messages, r, 'messages', (i) => `messages[${i}].role`);
  if (!r.ok) return null;
  return tools === undefined || tools === null ? { messages } : { messages, tools };
}

/** Turns in OpenAI form, shared by preference prompts; errors name `${listKey}[i].field`. */
export function readOpenAiTurns(list: unknown[], r: FieldReader, listKey: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  list.forEach((item, i) => {
    const path = `${listKey}[${i}]`;
    const turn = r.object(item, path);
    if (!turn) return;
    const m = readOpenAiTurn(turn, r, path);
    if (m) out.push(m);
  });
  return out;
}

export function readOpenAiTurn(turn: Record<string, unknown>, r: FieldReader, path: string): ChatMessage | null {
  const rawRole = turn.role;
  if (rawRole === undefined || rawRole === null) {
    r.fail(missingField(r.line, `${path}.role`, 'the speaker: "system", "user", "assistant" or "tool"'));
    return null;
  }
  if (typeof rawRole !== 'string') {
    r.fail(wrongType(r.line, `${path}.role`, 'a string', rawRole));
    return null;
  }
  const role = OPENAI_ROLES[rawRole];
  if (!role) {
    r.fail(unknownRole(r.line, `${path}.role`, rawRole, ['system', 'user', 'assistant', 'tool']));
    return null;
  }
  const hasToolCalls = role === 'assistant' && Array.isArray(turn.tool_calls) && turn.tool_calls.length > 0;
  const content = readContent(turn.content, r, `${path}.content`, hasToolCalls);
  if (content === undefined) return null;
  const m: ChatMessage = { role, content };
  for (const k of KEPT_FIELDS) {
    if (turn[k] === undefined || turn[k] === null) continue;
    const v = r.kept(turn[k], `${path}.${k}`);
    if (v !== undefined) m[k] = v;
  }
  if (m.weight !== undefined && !checkWeight(m, r, `${path}.weight`)) return null;
  if (m.tool_calls !== undefined && !Array.isArray(m.tool_calls)) {
    r.fail(wrongType(r.line, `${path}.tool_calls`, 'an array of {"type": "function", "function": {"name", "arguments"}}', m.tool_calls));
    return null;
  }
  return m;
}

/** A string, or an array of text parts joined; empty only where tool calls stand in for it. */
function readContent(v: unknown, r: FieldReader, path: string, mayBeEmpty: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (mayBeEmpty) return '';
    r.fail(missingField(r.line, path, 'the text of the turn'));
    return undefined;
  }
  let text: string;
  if (typeof v === 'string') text = v;
  else if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let j = 0; j < v.length; j++) {
      const p = v[j] as { type?: unknown; text?: unknown } | null;
      if (!p || typeof p !== 'object' || p.type !== 'text' || typeof p.text !== 'string') {
        r.fail(wrongType(r.line, `${path}[${j}]`, 'a text part {"type": "text", "text": "..."}', p));
        return undefined;
      }
      parts.push(p.text);
    }
    text = parts.join('');
  } else {
    r.fail(wrongType(r.line, path, 'a string', v));
    return undefined;
  }
  if (!mayBeEmpty && text.trim() === '') {
    r.fail(emptyField(r.line, path, 'the text of the turn'));
    return undefined;
  }
  return text;
}

/**
 * OpenAI's `weight` on an assistant turn: 1 trains on it (the default), 0 keeps it as context
 * only (the worker leaves its tokens out of the loss). Nothing else is meaningful.
 */
function checkWeight(m: ChatMessage, r: FieldReader, path: string): boolean {
  if (m.weight !== 0 && m.weight !== 1) {
    r.fail(invalidValue(r.line, path, `must be 0 (do not learn this turn) or 1 (learn it), got ${JSON.stringify(m.weight)}. Use 0 or 1, or leave it out.`));
    return false;
  }
  if (m.role !== 'assistant') {
    r.fail(invalidValue(r.line, path, `is set on a ${m.role} turn; only assistant turns carry a weight. Remove it.`));
    return false;
  }
  return true;
}
