import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { WhetError } from '@whetstone/core';
import { accelerateTokenizer, fastTokenCount } from './fast-bpe.ts';
import { readChatTemplate } from './read-chat-template.ts';

/** A model's tokenizer read from its Hugging Face files, with the chat template if it has one. */
export interface LoadedTokenizer {
  /** The tokenizer.json it was read from. */
  path: string;
  tokenizer: Tokenizer;
  chatTemplate: string | null;
  bosToken: string | null;
  eosToken: string | null;
  /** Tokens of a text; `addSpecial` adds what the post-processor adds (BOS/EOS). */
  count(text: string, addSpecial?: boolean): number;
}

const cache = new Map<string, { mtimeMs: number; tok: LoadedTokenizer }>();

/**
 * Reads `tokenizer.json` (a path to it, or the model folder holding it) and, beside it,
 * `tokenizer_config.json` and `chat_template.jinja`. Cached per file until it changes.
 */
export function loadTokenizer(pathOrDir: string): LoadedTokenizer {
  const path = resolveTokenizerJson(pathOrDir);
  const mtimeMs = statSync(path).mtimeMs;
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.tok;

  const dir = dirname(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new WhetError('MODEL_PATH_INVALID', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const config = readJsonIfExists(join(dir, 'tokenizer_config.json')) ?? {};
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json as object, config);
  } catch (e) {
    throw new WhetError('MODEL_PATH_INVALID', `Could not build a tokenizer from ${path}: ${(e as Error).message}`, {
      hint: 'Give the tokenizer.json of a Hugging Face model (saved by transformers or tokenizers).',
      cause: e,
    });
  }
  accelerateTokenizer(tokenizer as unknown as { model: unknown; pre_tokenizer: unknown });
  const fast = fastTokenCount(tokenizer);

  const tok: LoadedTokenizer = {
    path,
    tokenizer,
    chatTemplate: readChatTemplate(dir)?.template ?? null,
    bosToken: tokenString(config.bos_token),
    eosToken: tokenString(config.eos_token),
    count: (text, addSpecial = false) => {
      const quick = addSpecial || !fast ? null : fast(text);
      if (quick !== null) return quick;
      return text.length === 0 && !addSpecial ? 0 : tokenizer.tokenize(text, { add_special_tokens: addSpecial }).length;
    },
  };
  cache.set(path, { mtimeMs, tok });
  return tok;
}

/** How many tokens `text` is for the model whose tokenizer.json (or folder) is given. */
export function countTokens(text: string, tokenizerPath: string, opts: { addSpecialTokens?: boolean } = {}): number {
  return loadTokenizer(tokenizerPath).count(text, opts.addSpecialTokens ?? false);
}

/** The token calculator: ids and token strings of a text. */
export function encodeText(text: string, tokenizerPath: string, opts: { addSpecialTokens?: boolean } = {}): { count: number; ids: number[]; tokens: string[] } {
  const enc = loadTokenizer(tokenizerPath).tokenizer.encode(text, { add_special_tokens: opts.addSpecialTokens ?? false });
  return { count: enc.ids.length, ids: enc.ids, tokens: enc.tokens };
}

function resolveTokenizerJson(p: string): string {
  if (!existsSync(p)) throw new WhetError('MODEL_PATH_INVALID', `No tokenizer at ${p}.`, { hint: 'Give a tokenizer.json file or the model folder that holds one.' });
  if (statSync(p).isDirectory()) {
    const f = join(p, 'tokenizer.json');
    if (!existsSync(f)) {
      throw new WhetError('MODEL_PATH_INVALID', `${p} has no tokenizer.json.`, {
        hint: 'Save the tokenizer with transformers (tokenizer.save_pretrained) so the folder holds tokenizer.json.',
      });
    }
    return f;
  }
  return p;
}

function readJsonIfExists(p: string): Record<string, unknown> | null {
  if (!existsSync(p)) return null;
  try {
    const v = JSON.parse(readFileSync(p, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function tokenString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return null;
}
