/**
 * Speeds up @huggingface/tokenizers for bulk counting without changing a single token: its BPE
 * merge loop and LRU cache, and the byte-level mapping of every pre-token, dominate a profile
 * of dataset-sized input. We swap in (1) a plain-Map cache and a pair-rank table keyed by a
 * string join instead of JSON.stringify, with a simple lowest-rank-leftmost merge loop for
 * short words (the same order the heap version follows), and (2) a cache of byte-level
 * mappings per pre-token. Tests compare token ids with the Python `tokenizers` library.
 * Anything unexpected in the object shapes leaves the library untouched.
 */

interface BpeModelLike {
  bpe: (token: string) => string[];
  merges?: [string, string][];
  end_of_word_suffix?: string | null;
  continuing_subword_suffix?: string | null;
}

interface ByteLevelLike {
  add_prefix_space: boolean;
  use_regex: boolean;
  pattern: RegExp;
  byte_encoder: Record<number, string>;
  text_encoder: TextEncoder;
  pre_tokenize_text: (text: string, options?: unknown) => string[];
  tokenizers?: unknown[];
}

const SEP = '\u0000';
const MAX_CACHE = 200_000;
const MAX_CACHED_LENGTH = 256;
const SIMPLE_MERGE_MAX = 64;

export function accelerateTokenizer(tokenizer: { model: unknown; pre_tokenizer: unknown }): { bpe: boolean; byteLevel: number } {
  const bpe = patchBpe(tokenizer.model);
  const byteLevel = patchPreTokenizer(tokenizer.pre_tokenizer);
  return { bpe, byteLevel };
}

function patchBpe(model: unknown): boolean {
  const m = model as BpeModelLike | null;
  if (!m || typeof m.bpe !== 'function' || !Array.isArray(m.merges)) return false;
  if (m.end_of_word_suffix || m.continuing_subword_suffix) return false;
  const ranks = new Map<string, number>();
  m.merges.forEach((pair, i) => {
    if (Array.isArray(pair) && pair.length === 2) {
      const key = pair[0] + SEP + pair[1];
      if (!ranks.has(key)) ranks.set(key, i);
    }
  });
  const original = m.bpe.bind(m);
  let cache = new Map<string, string[]>();
  m.bpe = (token: string): string[] => {
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    let result: string[];
    if (token.length === 0) return [];
    if (token.length > SIMPLE_MERGE_MAX) {
      result = original(token);
    } else {
      const w = Array.from(token);
      while (w.length > 1) {
        let best = Infinity;
        let at = -1;
        for (let i = 0; i < w.length - 1; i++) {
          const r = ranks.get(w[i] + SEP + w[i + 1]);
          if (r !== undefined && r < best) {
            best = r;
            at = i;
          }
        }
        if (at < 0) break;
        w.splice(at, 2, w[at]! + w[at + 1]!);
      }
      result = w;
    }
    if (token.length < MAX_CACHED_LENGTH) {
      if (cache.size >= MAX_CACHE) cache = new Map();
      cache.set(token, result);
    }
    return result;
  };
  return true;
}

function patchPreTokenizer(pre: unknown): number {
  if (!pre || (typeof pre !== 'object' && typeof pre !== 'function')) return 0; // the library's pre-tokenizers are callable objects
  const p = pre as ByteLevelLike;
  if (Array.isArray(p.tokenizers)) return p.tokenizers.reduce<number>((n, t) => n + patchPreTokenizer(t), 0);
  if (!(p.pattern instanceof RegExp) || !p.byte_encoder || !p.text_encoder || typeof p.pre_tokenize_text !== 'function') return 0;
  let cache = new Map<string, string>();
  const toBytes = (token: string): string => {
    let s = cache.get(token);
    if (s === undefined) {
      s = '';
      const bytes = p.text_encoder.encode(token);
      for (let i = 0; i < bytes.length; i++) s += p.byte_encoder[bytes[i]!];
      if (token.length < MAX_CACHED_LENGTH) {
        if (cache.size >= MAX_CACHE) cache = new Map();
        cache.set(token, s);
      }
    }
    return s;
  };
  p.pre_tokenize_text = (text: string): string[] => {
    if (p.add_prefix_space && !text.startsWith(' ')) text = ' ' + text;
    const tokens = p.use_regex ? (text.match(p.pattern) ?? []) : [text];
    return tokens.map(toBytes);
  };
  return 1;
}

interface TokenizerLike {
  normalizer: unknown;
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
  added_tokens_map: Map<string, unknown>;
  pre_tokenizer: ((text: string, options?: unknown) => string[]) | null;
  model: {
    bpe?: (token: string) => string[];
    tokens_to_ids: Map<string, number>;
    ignore_merges?: boolean;
    byte_fallback?: boolean;
    fuse_unk?: boolean;
    unk_token?: string | null;
  };
}

/**
 * Counting without building token lists: for a BPE tokenizer with no normalizer, the count of a
 * text holding no added token is the sum over its pre-tokens of their BPE pieces, which skips the
 * added-token splitting, the per-section arrays and the vocabulary mapping the library does for
 * `tokenize`. Returns null (use the library) for anything else, and for a text where an added
 * token could start. Checked against the Python library in tokenizer-parity.test.ts.
 */
export function fastTokenCount(tokenizer: unknown): ((text: string) => number | null) | null {
  const t = tokenizer as TokenizerLike;
  const m = t?.model;
  if (!m || typeof m.bpe !== 'function' || !(m.tokens_to_ids instanceof Map) || m.byte_fallback || m.fuse_unk) return null;
  if ((t.normalizer ?? null) !== null || t.remove_space === true || t.do_lowercase_and_remove_accent || typeof t.pre_tokenizer !== 'function') return null;
  if (!(t.added_tokens_map instanceof Map)) return null;
  const firsts = [...new Set([...t.added_tokens_map.keys()].map((k) => k.charAt(0)).filter(Boolean))];
  const mayHoldAdded = firsts.length ? new RegExp(`[${firsts.map((c) => c.replace(/[\\\]\[^-]/g, '\\$&')).join('')}]`, 'u') : null;
  const pre = t.pre_tokenizer;
  const bpe = m.bpe.bind(m);
  const vocab = m.tokens_to_ids;
  const hasUnk = m.unk_token !== null && m.unk_token !== undefined;
  return (text: string) => {
    if (text.length === 0) return 0;
    if (mayHoldAdded?.test(text)) return null;
    let n = 0;
    for (const pt of pre(text, { section_index: 0 })) {
      if (m.ignore_merges && vocab.has(pt)) {
        n++;
        continue;
      }
      for (const piece of bpe(pt)) if (vocab.has(piece) || hasUnk) n++;
    }
    return n;
  };
}
