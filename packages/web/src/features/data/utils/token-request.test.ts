import { describe, expect, it } from 'vitest';
import { charactersPerToken, tokenRequest, type TokenForm } from './token-request.ts';

const form: TokenForm = { model: 'tiny', mode: 'text', text: 'hi', messages: [{ role: 'user', content: '' }], addSpecialTokens: true, addGenerationPrompt: true };

describe('tokenRequest', () => {
  it('asks for the tokens of a text, with the text option only', () => {
    expect(tokenRequest(form)).toEqual({ model: 'tiny', text: 'hi', add_special_tokens: true, return_tokens: true });
  });

  it('sends a chat with the chat option only', () => {
    const chat = { ...form, mode: 'chat' as const, messages: [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: '' }] };
    expect(tokenRequest(chat)).toEqual({ model: 'tiny', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '' }], add_generation_prompt: true });
  });

  it('has nothing to count without a model, a text or any message content', () => {
    expect(tokenRequest({ ...form, model: '' })).toBeNull();
    expect(tokenRequest({ ...form, text: '' })).toBeNull();
    expect(tokenRequest({ ...form, mode: 'chat' })).toBeNull();
  });
});

describe('charactersPerToken', () => {
  it('rounds to one decimal and has no value for zero tokens', () => {
    expect(charactersPerToken(10, 3)).toBe(3.3);
    expect(charactersPerToken(5, 0)).toBeNull();
  });
});
