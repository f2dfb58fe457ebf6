import type { ChatMessage, PreferenceRow } from '../types.ts';
import { emptyField, missingField, wrongType } from '../errors/field-errors.ts';
import { roleOrder } from '../errors/conversation-errors.ts';
import type { FieldReader } from './field-reader.ts';
import { checkPromptTurns } from './check-turns.ts';
import { readOpenAiTurn, readOpenAiTurns } from './openai-chat.ts';
import { readShareGptTurn, readShareGptTurns } from './sharegpt.ts';
import { alpacaPrompt, readHistory } from './alpaca.ts';
import { isOpenAiDpo, normalizeOpenAiDpo } from './openai-dpo.ts';

/**
 * Preference pairs for DPO, in the shapes TRL and LLaMA-Factory take:
 *  - {prompt: "..." | [turns], chosen, rejected, system?}
 *  - {messages: [prompt turns], chosen, rejected}
 *  - {conversations: [sharegpt turns], chosen: {from, value}, rejected}
 *  - {instruction, input?, chosen, rejected, system?, history?}
 *  - {chosen: [turns..., answer], rejected: [turns..., answer]} (TRL's implicit prompt)
 *  - {input: {messages}, preferred_output: [turn], non_preferred_output: [turn]} (OpenAI's DPO format)
 * chosen/rejected are a string, one assistant turn, or a list ending with one.
 */
export function normalizePreference(rec: Record<string, unknown>, r: FieldReader): PreferenceRow | null {
  if (isOpenAiDpo(rec)) return normalizeOpenAiDpo(rec, r);
  const chosen = readAnswer(rec, 'chosen', r);
  const rejected = readAnswer(rec, 'rejected', r);
  const prompt = readPrompt(rec, r, chosen?.prefix);
  if (!r.ok || !chosen || !rejected || !prompt) return null;
  checkPromptTurns(prompt.messages, r, prompt.fieldOf);
  if (!r.ok) return null;
  return { messages: prompt.messages, chosen: chosen.answer, rejected: rejected.answer };
}

interface Answer {
  answer: ChatMessage;
  /** Turns before the answer when chosen is a whole conversation. */
  prefix: unknown[] | null;
}

function readAnswer(rec: Record<string, unknown>, key: 'chosen' | 'rejected', r: FieldReader): Answer | null {
  const what = key === 'chosen' ? 'the preferred answer' : 'the worse answer';
  if (!r.has(rec, key)) {
    r.fail(missingField(r.line, key, what));
    return null;
  }
  let v = rec[key];
  if (typeof v === 'string') {
    const t = v.trimStart();
    if (r.has(rec, key) && (t.startsWith('[') || t.startsWith('{'))) v = r.kept(v, key); // CSV cell holding JSON
  }
  if (typeof v === 'string') {
    if (v.trim() === '') {
      r.fail(emptyField(r.line, key, what));
      return null;
    }
    return { answer: { role: 'assistant', content: v }, prefix: null };
  }
  let prefix: unknown[] | null = null;
  let path: string = key;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      r.fail(emptyField(r.line, key, what));
      return null;
    }
    prefix = v.slice(0, -1);
    path = `${key}[${v.length - 1}]`;
    v = v[v.length - 1];
  }
  const turn = r.object(v, path);
  if (!turn) return null;
  const m = 'from' in turn || 'value' in turn ? readShareGptTurn(turn, r, path) : readOpenAiTurn(turn, r, path);
  if (!m) return null;
  if (m.role !== 'assistant') {
    r.fail(roleOrder(r.line, path, `"${key}" is a ${m.role} turn; the answer must come from the assistant`));
    return null;
  }
  return { answer: m, prefix };
}

interface Prompt {
  messages: ChatMessage[];
  fieldOf: (i: number) => string;
}

function readPrompt(rec: Record<string, unknown>, r: FieldReader, implicit: unknown[] | null | undefined): Prompt | null {
  const system = r.optionalText(rec, 'system', 'system');
  const withSystem = (turns: ChatMessage[], fieldOf: (i: number) => string): Prompt => {
    if (!system || turns[0]?.role === 'system') return { messages: turns, fieldOf };
    return { messages: [{ role: 'system', content: system }, ...turns], fieldOf: (i) => (i === 0 ? 'system' : fieldOf(i - 1)) };
  };
  if (r.has(rec, 'prompt')) {
    const p = rec.prompt;
    const kept = typeof p === 'string' && /^\s*\[/.test(p) ? r.kept(p, 'prompt') : p;
    if (typeof kept === 'string') {
      if (kept.trim() === '') {
        r.fail(emptyField(r.line, 'prompt', 'the prompt the answers reply to'));
        return null;
      }
      return withSystem([{ role: 'user', content: kept }], () => 'prompt');
    }
    if (Array.isArray(kept)) return withSystem(readOpenAiTurns(kept, r, 'prompt'), (i) => `prompt[${i}].role`);
    r.fail(wrongType(r.line, 'prompt', 'a string or a list of turns', kept));
    return null;
  }
  if (r.has(rec, 'messages')) {
    const list = r.array(rec, 'messages', 'messages', 'the prompt turns');
    return list ? withSystem(readOpenAiTurns(list, r, 'messages'), (i) => `messages[${i}].role`) : null;
  }
  if (r.has(rec, 'conversations')) {
    const list = r.array(rec, 'conversations', 'conversations', 'the prompt turns');
    return list ? withSystem(readShareGptTurns(list, r, 'conversations'), (i) => `conversations[${i}].from`) : null;
  }
  if (r.has(rec, 'instruction')) {
    const history = readHistory(rec, r);
    const text = alpacaPrompt(rec, r);
    if (text === undefined) return null;
    return withSystem([...history, { role: 'user', content: text }], () => 'instruction');
  }
  if (implicit && implicit.length > 0) {
    const turns = implicit.map((t, i) => {
      const o = r.object(t, `chosen[${i}]`);
      return o ? ('from' in o ? readShareGptTurn(o, r, `chosen[${i}]`) : readOpenAiTurn(o, r, `chosen[${i}]`)) : null;
    });
    if (turns.some((t) => t === null)) return null;
    return withSystem(turns as ChatMessage[], (i) => `chosen[${i}].role`);
  }
  r.fail(missingField(r.line, 'prompt', 'the prompt the answers reply to ("prompt", "messages", "conversations" or "instruction")'));
  return null;
}
