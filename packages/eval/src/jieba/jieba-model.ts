import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { WhetError } from '@whetstone/core';

/** HMM states of jieba's finalseg, in the order its tables use. */
export const HMM_STATES = ['B', 'M', 'E', 'S'] as const;
export type HmmState = (typeof HMM_STATES)[number];

/** finalseg only runs its Viterbi over runs of U+4E00..U+9FD5, so emissions are a flat table. */
export const HAN_FIRST = 0x4e00;
export const HAN_LAST = 0x9fd5;
export const MIN_FLOAT = -3.14e100;

/**
 * jieba 0.42.1's default dictionary and HMM, as loaded by `jieba.initialize()`.
 *
 * `weights` holds, for every dictionary word, `log(freq) - log(total)` (the term jieba's route
 * search adds), and 0 for a prefix of a word that is not a word itself (jieba's FREQ value 0).
 * A real weight is never 0: every frequency is below the total.
 */
export interface JiebaModel {
  weights: Map<string, number>;
  logTotal: number;
  start: Record<HmmState, number>;
  trans: Record<HmmState, Partial<Record<HmmState, number>>>;
  /** Per state, the emission log-probability of U+4E00 + i, MIN_FLOAT where jieba has none. */
  emit: Record<HmmState, Float64Array>;
}

interface ModelFile {
  jieba: string;
  total: number;
  log_total: number;
  log_freq: Record<string, number>;
  start: Record<HmmState, number>;
  trans: Record<HmmState, Partial<Record<HmmState, number>>>;
  emit: Record<HmmState, Record<string, number>>;
}

const DATA_DIR = new URL('../../data/jieba/', import.meta.url);
let cached: JiebaModel | undefined;

/** The model, loaded once per process (about 0.2 s: 349,045 words and their prefixes). */
export function loadJiebaModel(): JiebaModel {
  cached ??= readJiebaModel(DATA_DIR);
  return cached;
}

export function readJiebaModel(dir: URL): JiebaModel {
  let dict: string;
  let file: ModelFile;
  try {
    dict = gunzipSync(readFileSync(new URL('dict.txt.gz', dir))).toString('utf8');
    file = JSON.parse(gunzipSync(readFileSync(new URL('model.json.gz', dir))).toString('utf8')) as ModelFile;
  } catch (cause) {
    throw new WhetError('INTERNAL', `cannot read the jieba dictionary under ${dir.pathname}: ${String(cause)}`, {
      hint: 'Rebuild it with `.venv/bin/python packages/eval/reference/build_jieba_data.py`.',
      cause,
    });
  }
  const logFreq = new Map<number, number>();
  for (const [freq, log] of Object.entries(file.log_freq)) logFreq.set(Number(freq), log);

  // Lines are sorted, so a word shares its leading prefixes with the word before it: only the
  // longer prefixes can be new.
  const weights = new Map<string, number>();
  let prev = '';
  for (let start = 0; start < dict.length; ) {
    let end = dict.indexOf('\n', start);
    if (end < 0) end = dict.length;
    const space = dict.lastIndexOf(' ', end);
    const word = dict.slice(start, space);
    let freq = 0;
    for (let i = space + 1; i < end; i++) freq = freq * 10 + dict.charCodeAt(i) - 48;
    let common = 0;
    const limit = Math.min(prev.length, word.length);
    while (common < limit && prev.charCodeAt(common) === word.charCodeAt(common)) common++;
    for (let i = Math.max(common, 1); i < word.length; i++) {
      const prefix = word.slice(0, i);
      if (!weights.has(prefix)) weights.set(prefix, 0);
    }
    if (freq > 0) {
      const log = logFreq.get(freq);
      if (log === undefined) throw new WhetError('INTERNAL', `jieba model has no log for frequency ${freq}`);
      weights.set(word, log - file.log_total);
    } else if (!weights.has(word)) {
      weights.set(word, 0);
    }
    prev = word;
    start = end + 1;
  }

  const emit = {} as Record<HmmState, Float64Array>;
  for (const state of HMM_STATES) {
    const table = new Float64Array(HAN_LAST - HAN_FIRST + 1).fill(MIN_FLOAT);
    for (const [ch, p] of Object.entries(file.emit[state])) {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= HAN_FIRST && code <= HAN_LAST) table[code - HAN_FIRST] = p;
    }
    emit[state] = table;
  }
  return { weights, logTotal: file.log_total, start: file.start, trans: file.trans, emit };
}
