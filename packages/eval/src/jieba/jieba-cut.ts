import { isPyWhitespace } from '../python/py-whitespace.ts';
import { hmmCut } from './hmm-cut.ts';
import { loadJiebaModel, type JiebaModel } from './jieba-model.ts';

// jieba/__init__.py: re_han_default (which includes '-') splits the text into blocks.
const HAN_BLOCK = /[\u4E00-\u9FD5a-zA-Z0-9+#&._%-]+/g;

/**
 * `list(jieba.cut(text))` of jieba 0.42.1: accurate mode with the HMM for unknown words, the
 * default dictionary. Blocks of Han letters, ASCII letters and digits (and +#&._%-) are
 * segmented by the most probable route through the dictionary DAG, with runs of single
 * characters that are not a word handed to the HMM; everything else comes out one character
 * at a time, whitespace included ("\r\n" as one piece).
 */
export function jiebaCut(text: string, model: JiebaModel = loadJiebaModel()): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(HAN_BLOCK)) {
    if (m.index > last) cutOther(text, last, m.index, out);
    cutDag(m[0], model, out);
    last = m.index + m[0].length;
  }
  if (last < text.length) cutOther(text, last, text.length, out);
  return out;
}

/** The non-Han branch of `cut`: re_skip `(\r\n|\s)` pieces, every other character alone. */
function cutOther(text: string, from: number, to: number, out: string[]): void {
  for (let i = from; i < to; ) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && i + 1 < to && text.charCodeAt(i + 1) === 0x0a) {
      out.push('\r\n');
      i += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out.push(text.slice(i, i + 2)); // one code point, as Python iterates
      i += 2;
    } else {
      out.push(text[i]);
      i += 1;
    }
  }
}

/**
 * `__cut_DAG`: route[idx] = max over the words sentence[idx..x] of (weight + route[x+1], x),
 * where the candidate ends x are the DAG of idx (every x that ends a dictionary word, or idx
 * alone); equal sums go to the larger x, as Python's tuple max does. All characters of a Han
 * block are in the BMP, so UTF-16 offsets are code point offsets.
 */
function cutDag(sentence: string, model: JiebaModel, out: string[]): void {
  const { weights, logTotal } = model;
  const n = sentence.length;
  const routeProb = new Float64Array(n + 1);
  const routeEnd = new Int32Array(n + 1);
  for (let idx = n - 1; idx >= 0; idx--) {
    let bestProb = -Infinity;
    let bestEnd = -1;
    let i = idx;
    let frag = sentence[idx];
    let w = weights.get(frag);
    while (w !== undefined) {
      if (w !== 0) {
        const p = w + routeProb[i + 1];
        if (p >= bestProb) {
          bestProb = p;
          bestEnd = i;
        }
      }
      i += 1;
      if (i >= n) break;
      frag = sentence.slice(idx, i + 1);
      w = weights.get(frag);
    }
    if (bestEnd < 0) {
      // No word starts here: the DAG is [idx], weighted log(FREQ.get(c) or 1) - log(total).
      bestProb = -logTotal + routeProb[idx + 1];
      bestEnd = idx;
    }
    routeProb[idx] = bestProb;
    routeEnd[idx] = bestEnd;
  }

  let buf = '';
  for (let x = 0; x < n; ) {
    const y = routeEnd[x] + 1;
    if (y - x === 1) {
      buf += sentence[x];
    } else {
      if (buf) flushBuffer(buf, model, out);
      buf = '';
      out.push(sentence.slice(x, y));
    }
    x = y;
  }
  if (buf) flushBuffer(buf, model, out);
}

/** A run of single-character steps: one character as is, a known word split into characters, else the HMM. */
function flushBuffer(buf: string, model: JiebaModel, out: string[]): void {
  if (buf.length === 1) {
    out.push(buf);
    return;
  }
  const w = model.weights.get(buf);
  if (w === undefined || w === 0) {
    hmmCut(buf, model, out);
  } else {
    for (const ch of buf) out.push(ch);
  }
}
