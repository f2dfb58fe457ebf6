import type { ChatMessage, SftRow } from '../types.ts';
import { wrongType } from '../errors/field-errors.ts';
import type { FieldReader } from './field-reader.ts';
import { checkTurns } from './check-turns.ts';

/**
 * Alpaca: {instruction, input?, output, system?, history?: [[user, assistant], ...]}.
 * The user turn is the instruction, with the input on a new line after it (LLaMA-Factory's
 * convention); history pairs come before it.
 */
export function normalizeAlpaca(rec: Record<string, unknown>, r: FieldReader): SftRow | null {
  const messages: ChatMessage[] = [];
  const system = r.optionalText(rec, 'system', 'system');
  if (system) messages.push({ role: 'system', content: system });
  messages.push(...readHistory(rec, r));
  const prompt = alpacaPrompt(rec, r);
  const output = r.text(rec, 'output', 'output', "the assistant's answer to learn");
  if (!r.ok || prompt === undefined || output === undefined) return null;
  messages.push({ role: 'user', content: prompt }, { role: 'assistant', content: output });
  checkTurns(messages, r, 'output', () => 'history');
  return r.ok ? { messages } : null;
}

/** instruction + "\n" + input, shared with the alpaca form of preference pairs. */
export function alpacaPrompt(rec: Record<string, unknown>, r: FieldReader): string | undefined {
  const instruction = r.text(rec, 'instruction', 'instruction', 'the instruction (the user turn)');
  const input = r.optionalText(rec, 'input', 'input');
  if (instruction === undefined) return undefined;
  return input ? `${instruction}\n${input}` : instruction;
}

export function readHistory(rec: Record<string, unknown>, r: FieldReader): ChatMessage[] {
  const history = r.optionalArray(rec, 'history', 'history');
  const out: ChatMessage[] = [];
  if (!history) return out;
  history.forEach((pair, i) => {
    const path = `history[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      r.fail(wrongType(r.line, path, 'a pair of strings [user, assistant]', pair));
      return;
    }
    out.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
  });
  return out;
}
