import { Template } from '@huggingface/jinja';
import type { LoadedTokenizer } from './load-tokenizer.ts';

export interface ChatTokenCount {
  /** Tokens of the chat as the model sees it. */
  count: number;
  /** Whether the model's chat template rendered it (else the contents were joined by newlines). */
  templated: boolean;
  /** The text that was tokenized. */
  text: string;
}

/**
 * The token calculator for a conversation: renders the model's own chat template over the
 * messages exactly (no per-role estimate) and tokenizes the result. A model without a template,
 * or whose template refuses the messages, is counted on the contents joined by newlines with the
 * tokenizer's special tokens.
 */
export function countChatTokens(
  tok: LoadedTokenizer,
  messages: readonly { role: string; content: string; [k: string]: unknown }[],
  opts: { addGenerationPrompt?: boolean } = {},
): ChatTokenCount {
  if (tok.chatTemplate) {
    try {
      const text = new Template(tok.chatTemplate).render({
        messages: messages as never,
        bos_token: tok.bosToken ?? '',
        eos_token: tok.eosToken ?? '',
        add_generation_prompt: opts.addGenerationPrompt ?? false,
      });
      return { count: tok.count(text, false), templated: true, text };
    } catch {
      // fall through to the plain count
    }
  }
  const text = messages.map((m) => m.content).join('\n');
  return { count: tok.count(text, true), templated: false, text };
}
