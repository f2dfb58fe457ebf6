import type { Message, TokenCountRequest } from '@whetstone/core';

/** What the token calculator's form holds: a text or a chat, and the options that apply to each. */
export interface TokenForm {
  model: string;
  mode: 'text' | 'chat';
  text: string;
  messages: Pick<Message, 'role' | 'content'>[];
  addSpecialTokens: boolean;
  addGenerationPrompt: boolean;
}

/**
 * The body of `POST /api/v1/tokens` for the form, or null while there is nothing to count (no
 * model, no text, no message with content). Text asks for its tokens, to show their boundaries;
 * each mode sends only its own option, as the schema documents them.
 */
export function tokenRequest(form: TokenForm): TokenCountRequest | null {
  if (!form.model) return null;
  if (form.mode === 'text') {
    if (form.text === '') return null;
    return { model: form.model, text: form.text, add_special_tokens: form.addSpecialTokens, return_tokens: true };
  }
  if (!form.messages.some((m) => m.content !== '')) return null;
  return { model: form.model, messages: form.messages.map((m) => ({ role: m.role, content: m.content })), add_generation_prompt: form.addGenerationPrompt };
}

/** Characters per token, to one decimal; null when there is no token to divide by. */
export function charactersPerToken(characters: number, count: number): number | null {
  return count > 0 ? Math.round((characters / count) * 10) / 10 : null;
}
