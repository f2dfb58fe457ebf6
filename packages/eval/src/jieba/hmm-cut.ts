import { HAN_FIRST, MIN_FLOAT, type JiebaModel } from './jieba-model.ts';

// jieba/finalseg/__init__.py: re_han and re_skip.
const HAN_RUN = /[\u4E00-\u9FD5]+/g;
const SKIP = /[a-zA-Z0-9]+(?:\.\p{Nd}+)?%?/gu;

/**
 * `jieba.finalseg.cut(text)`: runs of U+4E00..U+9FD5 go through the BMES Viterbi; between them,
 * alphanumeric runs (with an optional decimal part and %) and the text around them are pieces.
 * Appends the pieces to `out`.
 */
export function hmmCut(text: string, model: JiebaModel, out: string[]): void {
  let last = 0;
  for (const m of text.matchAll(HAN_RUN)) {
    if (m.index > last) skipCut(text.slice(last, m.index), out);
    viterbiCut(m[0], model, out);
    last = m.index + m[0].length;
  }
  if (last < text.length) skipCut(text.slice(last), out);
}

function skipCut(block: string, out: string[]): void {
  let last = 0;
  for (const m of block.matchAll(SKIP)) {
    if (m.index > last) out.push(block.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < block.length) out.push(block.slice(last));
}

// State indices: B=0 M=1 E=2 S=3. finalseg's PrevStatus lists, for each state, the states that
// may precede it; ties in max() go to the later letter of 'BMES' order by string comparison.
const B = 0;
const M = 1;
const E = 2;
const S = 3;
const LETTER = ['B', 'M', 'E', 'S'] as const;
const PREV: readonly (readonly [number, number])[] = [
  [E, S], // B <- E, S
  [M, B], // M <- M, B
  [B, M], // E <- B, M
  [S, E], // S <- S, E
];

/** finalseg.__cut: the Viterbi path over one run of Han characters, then words from B..E and S. */
function viterbiCut(run: string, model: JiebaModel, out: string[]): void {
  const n = run.length;
  const emit = [model.emit.B, model.emit.M, model.emit.E, model.emit.S];
  const trans = new Float64Array(16);
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) trans[a * 4 + b] = model.trans[LETTER[a]][LETTER[b]] ?? MIN_FLOAT;
  }
  const back = new Uint8Array(n * 4);
  let v = new Float64Array(4);
  let next = new Float64Array(4);
  const first = run.charCodeAt(0) - HAN_FIRST;
  for (let y = 0; y < 4; y++) v[y] = model.start[LETTER[y]] + emit[y][first];
  for (let t = 1; t < n; t++) {
    const ch = run.charCodeAt(t) - HAN_FIRST;
    for (let y = 0; y < 4; y++) {
      const em = emit[y][ch];
      const [p0, p1] = PREV[y];
      const a = v[p0] + trans[p0 * 4 + y] + em;
      const b = v[p1] + trans[p1 * 4 + y] + em;
      // max over (prob, state) tuples: equal probabilities go to the larger letter
      const pick = a > b || (a === b && LETTER[p0] > LETTER[p1]) ? p0 : p1;
      next[y] = pick === p0 ? a : b;
      back[t * 4 + y] = pick;
    }
    [v, next] = [next, v];
  }
  let state = v[E] > v[S] ? E : S; // max over 'ES': a tie goes to 'S'

  const path = new Uint8Array(n);
  for (let t = n - 1; t >= 0; t--) {
    path[t] = state;
    state = back[t * 4 + state];
  }
  let begin = 0;
  let nexti = 0;
  for (let i = 0; i < n; i++) {
    const pos = path[i];
    if (pos === B) begin = i;
    else if (pos === E) {
      out.push(run.slice(begin, i + 1));
      nexti = i + 1;
    } else if (pos === S) {
      out.push(run[i]);
      nexti = i + 1;
    }
  }
  if (nexti < n) out.push(run.slice(nexti));
}
