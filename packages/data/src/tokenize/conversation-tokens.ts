import { Template } from '@huggingface/jinja';
import type { LoadedTokenizer } from './load-tokenizer.ts';

interface TurnLike {
  role: string;
  content: string;
  tool_calls?: unknown;
}

const MAX_SIGNATURES = 4096;

/**
 * Tokens of a conversation as the model will see it: its contents plus what the chat template
 * adds around them. Rendering the template for every sample is slow, so the template's share
 * is measured once per sequence of roles (render with empty contents, tokenize, cache) and
 * added to the tokens of the contents. Where the template merges a content's first or last
 * character with its own text the count can differ by a token per turn.
 */
export class ConversationTokenCounter {
  private readonly template: Template | null;
  private readonly overhead = new Map<string, number>();
  private readonly perRole = new Map<string, number>();
  private readonly plainOverhead: number;

  constructor(private readonly tok: LoadedTokenizer) {
    let template: Template | null = null;
    if (tok.chatTemplate) {
      try {
        template = new Template(tok.chatTemplate);
      } catch {
        template = null;
      }
    }
    this.template = template;
    this.plainOverhead = tok.count('', true);
  }

  /** Whether a chat template's tokens are included. */
  get usesTemplate(): boolean {
    return this.template !== null;
  }

  count(messages: readonly TurnLike[]): number {
    let n = this.templateTokens(messages);
    for (const m of messages) {
      n += this.tok.count(m.content);
      if (m.tool_calls !== undefined) n += this.tok.count(JSON.stringify(m.tool_calls));
    }
    return n;
  }

  /** Tokens a text is for continued pre-training (with BOS/EOS where the tokenizer adds them). */
  countText(text: string): number {
    return this.tok.count(text, true);
  }

  private templateTokens(messages: readonly TurnLike[]): number {
    if (!this.template) return this.plainOverhead;
    const sig = messages.map((m) => m.role).join(',');
    const known = this.overhead.get(sig);
    if (known !== undefined) return known;
    if (this.overhead.size >= MAX_SIGNATURES) return this.estimate(messages);
    const n = this.render(messages.map((m) => ({ role: m.role, content: '' })));
    const value = n ?? this.plainOverhead;
    this.overhead.set(sig, value);
    return value;
  }

  /** Past the cache: the first turn's share plus a per-role share measured on two-turn chats. */
  private estimate(messages: readonly TurnLike[]): number {
    let n = 0;
    for (const m of messages) {
      let r = this.perRole.get(m.role);
      if (r === undefined) {
        const one = this.render([{ role: 'user', content: '' }]) ?? 0;
        const two = this.render([{ role: 'user', content: '' }, { role: m.role, content: '' }]) ?? one;
        r = Math.max(0, two - one);
        this.perRole.set(m.role, r);
      }
      n += r;
    }
    return n;
  }

  private render(messages: { role: string; content: string }[]): number | null {
    try {
      const text = this.template!.render({
        messages,
        bos_token: this.tok.bosToken ?? '',
        eos_token: this.tok.eosToken ?? '',
        add_generation_prompt: false,
      });
      return this.tok.count(text, false);
    } catch {
      return null;
    }
  }
}
