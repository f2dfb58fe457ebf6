// AssemblyScript, compiled to chat-scan.wasm by build.mjs (see README.md here).
//
// The per-byte work of CanonicalChatLine + chatLineFacts (packages/data/src) over a batch of
// JSONL lines, in WebAssembly: each line is checked to be a canonical OpenAI chat row and, when
// it is, its exact and normalized duplicate keys, character counts, roles and answer are worked
// out. It is a port of those TypeScript functions, which stay the reference: the tests hold the
// two to the same answers on awkward generated lines. Lines whose normalized key needs Unicode
// normalization (a unit the FAST table calls slow, other than a surrogate pair the supplementary
// table keeps or drops whole) are marked NEEDS_JS and the host works their key out in TypeScript.
//
// Memory is the host's to lay out (WasmChatLineFacts in src/stats/wasm-chat-line-facts.ts): it writes
// the character tables once and each batch's lines, then reads the results where it asked for
// them. Nothing here allocates.

const NOT_CANONICAL: u8 = 0;
const OK: u8 = 1;
const NEEDS_JS: u8 = 2;

const SYSTEM = 0;
const USER = 1;
const ASSISTANT = 2;
const TOOL = 3;

/** MAX_LABEL_CHARS of src/labels/label-counter.ts: longer answers are no label. */
const MAX_LABEL_CHARS = 64;

// tables written by the host (built in TypeScript, so both sides use the same ones)
let fastTable: usize = 0; // FAST of dedup-key.ts
let classTable: usize = 0; // CLASS of char-counts.ts
let trimTable: usize = 0; // TRIMMED of canonical-chat-line.ts
let supplementaryTable: usize = 0; // fastSupplementary() of dedup-key.ts, from U+1F000 to U+3FFFF
const SUPPLEMENTARY_FROM: u32 = 0x1f000;
const SUPPLEMENTARY_END: u32 = 0x40000;

// work areas given by the host for each batch
let lineUnits: usize = 0; // the line as UTF-16 units
let contentUnits: usize = 0; // the turns' contents, unescaped
let normUnits: usize = 0; // the normalized key's units
let turnBounds: usize = 0; // i32 start, end (in contentUnits) per turn

const HEAD = memory.data<u8>([0x7b, 0x22, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x73, 0x22, 0x3a, 0x5b]); // {"messages":[
const HEAD_LEN = 13;
const TURN_HEAD = memory.data<u8>([0x7b, 0x22, 0x72, 0x6f, 0x6c, 0x65, 0x22, 0x3a, 0x22]); // {"role":"
const TURN_HEAD_LEN = 9;
const CONTENT_HEAD = memory.data<u8>([0x22, 0x2c, 0x22, 0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x22, 0x3a, 0x22]); // ","content":"
const CONTENT_HEAD_LEN = 13;
// the role names, 9 bytes apart: system, user, assistant, tool
const ROLE_NAMES = memory.data<u8>([
  0x73, 0x79, 0x73, 0x74, 0x65, 0x6d, 0, 0, 0,
  0x75, 0x73, 0x65, 0x72, 0, 0, 0, 0, 0,
  0x61, 0x73, 0x73, 0x69, 0x73, 0x74, 0x61, 0x6e, 0x74,
  0x74, 0x6f, 0x6f, 0x6c, 0, 0, 0, 0, 0,
]);
const ROLE_LENGTHS = memory.data<u8>([6, 4, 9, 4]);

/** Where the host may start its own areas. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** The tables, back to back at `at`: FAST, CLASS, TRIMMED (65,536 bytes each), then the supplementary one. */
export function setTables(at: usize): void {
  fastTable = at;
  classTable = at + 0x10000;
  trimTable = at + 0x20000;
  supplementaryTable = at + 0x30000;
}

/** Work areas, each large enough for the batch's longest line (see the host). */
export function setWorkAreas(line: usize, content: usize, norm: usize, turns: usize): void {
  lineUnits = line;
  contentUnits = content;
  normUnits = norm;
  turnBounds = turns;
}

/**
 * Reads `count` lines (line j is input[bounds[2j]..bounds[2j+1]) ) and writes per line: its
 * status (u8), exact and normalized keys (f64), Chinese, other and English-word counts (i32 x3),
 * where its roles start in `roles` (i32, count + 1 of them), and where its answer is in
 * `answers` (i32 start, end in units; -1, -1 for none). Returns the answer units written.
 */
export function scan(
  input: usize,
  count: i32,
  bounds: usize,
  status: usize,
  exactKeys: usize,
  normKeys: usize,
  counts: usize,
  roleStart: usize,
  roles: usize,
  answerBounds: usize,
  answers: usize,
): i32 {
  let r = 0; // roles written
  let a = 0; // answer units written
  for (let j = 0; j < count; j++) {
    store<i32>(roleStart + (<usize>j << 2), r);
    const start = load<i32>(bounds + (<usize>j << 3));
    const end = load<i32>(bounds + (<usize>j << 3) + 4);
    const turns = parse(input + <usize>start, end - start, roles + <usize>r);
    store<i32>(answerBounds + (<usize>j << 3), -1);
    store<i32>(answerBounds + (<usize>j << 3) + 4, -1);
    if (turns <= 0 || !inOrder(roles + <usize>r, turns)) {
      store<u8>(status + <usize>j, NOT_CANONICAL);
      continue;
    }
    const norm = countAndNormalize(counts + <usize>j * 12, roles + <usize>r, turns);
    store<u8>(status + <usize>j, norm < 0 ? NEEDS_JS : OK);
    store<f64>(normKeys + (<usize>j << 3), norm < 0 ? 0 : hashUnits(normUnits, norm));
    store<f64>(exactKeys + (<usize>j << 3), hashUnits(lineUnits, parsedLength));
    a = answer(roles + <usize>r, turns, answerBounds + (<usize>j << 3), answers, a);
    r += turns;
  }
  store<i32>(roleStart + (<usize>count << 2), r);
  return a;
}

const SPACE16 = i8x16.splat(0x20);
const HIGH16 = i8x16.splat(<i8>0x80);
const QUOTE16 = i8x16.splat(0x22);
const BACKSLASH16 = i8x16.splat(0x5c);

/** The units of the last parsed line. */
let parsedLength = 0;

/**
 * CanonicalChatLine.parse: the line decoded into lineUnits and the contents, unescaped, into
 * contentUnits, each turn's role written at roles[t]; the number of turns, or 0 when the line
 * is not canonical.
 */
function parse(b: usize, end: i32, roles: usize): i32 {
  let i = 0; // bytes read
  let n = 0; // units written to lineUnits
  let w = 0; // units written to contentUnits
  let turns = 0;
  const u = lineUnits;
  const out = contentUnits;
  if (!copyLiteral(b, i, end, u, n, HEAD, HEAD_LEN)) return 0;
  i += HEAD_LEN;
  n += HEAD_LEN;
  for (;;) {
    if (!copyLiteral(b, i, end, u, n, TURN_HEAD, TURN_HEAD_LEN)) return 0;
    i += TURN_HEAD_LEN;
    n += TURN_HEAD_LEN;
    const role = i < end ? roleAt(load<u8>(b + <usize>i)) : -1;
    if (role < 0) return 0;
    const nameLen = <i32>load<u8>(ROLE_LENGTHS + <usize>role);
    if (!copyLiteral(b, i, end, u, n, ROLE_NAMES + <usize>(role * 9), nameLen)) return 0;
    i += nameLen;
    n += nameLen;
    if (!copyLiteral(b, i, end, u, n, CONTENT_HEAD, CONTENT_HEAD_LEN)) return 0;
    i += CONTENT_HEAD_LEN;
    n += CONTENT_HEAD_LEN;
    const start = w;
    for (;;) {
      // 16 plain ASCII bytes at a time (no quote, backslash or control character): a unit each
      while (i + 16 <= end) {
        const v = v128.load(b + <usize>i);
        const special = v128.or(
          v128.or(i8x16.lt_u(v, SPACE16), i8x16.ge_u(v, HIGH16)),
          v128.or(i8x16.eq(v, QUOTE16), i8x16.eq(v, BACKSLASH16)),
        );
        if (v128.any_true(special)) break;
        const lo = i16x8.extend_low_i8x16_u(v);
        const hi = i16x8.extend_high_i8x16_u(v);
        v128.store(u + (<usize>n << 1), lo);
        v128.store(u + (<usize>n << 1), hi, 16);
        v128.store(out + (<usize>w << 1), lo);
        v128.store(out + (<usize>w << 1), hi, 16);
        i += 16;
        n += 16;
        w += 16;
      }
      if (i >= end) return 0;
      const c = <u32>load<u8>(b + <usize>i);
      if (c < 0x80) {
        if (c == 0x22) break;
        if (c < 0x20) return 0; // JSON.stringify escapes them
        if (c == 0x5c) {
          const e = unescaped(b, end, i + 1);
          if (e < 0) return 0;
          const len = e < 0x20 && load<u8>(b + <usize>(i + 1)) == 0x75 ? 6 : 2; // \u00xx or a one-letter escape
          for (let k = 0; k < len; k++) store<u16>(u + (<usize>(n + k) << 1), load<u8>(b + <usize>(i + k)));
          n += len;
          i += len;
          store<u16>(out + (<usize>w << 1), <u16>e);
          w++;
        } else {
          store<u16>(u + (<usize>n << 1), <u16>c);
          store<u16>(out + (<usize>w << 1), <u16>c);
          n++;
          w++;
          i++;
        }
      } else if (c < 0xe0) {
        if (c < 0xc2 || i + 1 >= end) return 0;
        const c1 = <u32>load<u8>(b + <usize>(i + 1)) ^ 0x80;
        if (c1 > 0x3f) return 0;
        const unit = ((c & 0x1f) << 6) | c1;
        store<u16>(u + (<usize>n << 1), <u16>unit);
        store<u16>(out + (<usize>w << 1), <u16>unit);
        n++;
        w++;
        i += 2;
      } else if (c < 0xf0) {
        if (i + 2 >= end) return 0;
        const c1 = <u32>load<u8>(b + <usize>(i + 1)) ^ 0x80;
        const c2 = <u32>load<u8>(b + <usize>(i + 2)) ^ 0x80;
        if ((c1 | c2) > 0x3f) return 0;
        const unit = ((c & 0x0f) << 12) | (c1 << 6) | c2;
        if (unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff)) return 0;
        store<u16>(u + (<usize>n << 1), <u16>unit);
        store<u16>(out + (<usize>w << 1), <u16>unit);
        n++;
        w++;
        i += 3;
      } else {
        if (c > 0xf4 || i + 3 >= end) return 0;
        const c1 = <u32>load<u8>(b + <usize>(i + 1)) ^ 0x80;
        const c2 = <u32>load<u8>(b + <usize>(i + 2)) ^ 0x80;
        const c3 = <u32>load<u8>(b + <usize>(i + 3)) ^ 0x80;
        if ((c1 | c2 | c3) > 0x3f) return 0;
        const cp = ((c & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
        if (cp < 0x10000 || cp > 0x10ffff) return 0;
        const high = 0xd7c0 + (cp >> 10); // 0xd800 + ((cp - 0x10000) >> 10)
        const low = 0xdc00 | (cp & 0x3ff);
        store<u16>(u + (<usize>n << 1), <u16>high);
        store<u16>(u + (<usize>(n + 1) << 1), <u16>low);
        store<u16>(out + (<usize>w << 1), <u16>high);
        store<u16>(out + (<usize>(w + 1) << 1), <u16>low);
        n += 2;
        w += 2;
        i += 4;
      }
    }
    store<u16>(u + (<usize>n << 1), 0x22); // the closing quote
    n++;
    i++;
    let k = start;
    while (k < w && load<u8>(trimTable + <usize>load<u16>(out + (<usize>k << 1))) == 1) k++;
    if (k == w) return 0; // an empty turn: the general path reports it
    store<u8>(roles + <usize>turns, <u8>role);
    store<i32>(turnBounds + (<usize>turns << 3), start);
    store<i32>(turnBounds + (<usize>turns << 3) + 4, w);
    turns++;
    if (i >= end || load<u8>(b + <usize>i) != 0x7d) return 0;
    store<u16>(u + (<usize>n << 1), 0x7d);
    n++;
    i++;
    if (i < end && load<u8>(b + <usize>i) == 0x2c) {
      store<u16>(u + (<usize>n << 1), 0x2c);
      n++;
      i++;
      continue;
    }
    if (i + 2 != end || load<u8>(b + <usize>i) != 0x5d || load<u8>(b + <usize>(i + 1)) != 0x7d) return 0;
    store<u16>(u + (<usize>n << 1), 0x5d);
    store<u16>(u + (<usize>(n + 1) << 1), 0x7d);
    parsedLength = n + 2;
    return turns;
  }
}

/** Whether the `len` bytes at `lit` are at b[i..] (within `end`); if so they are copied to u[n..] as units. */
function copyLiteral(b: usize, i: i32, end: i32, u: usize, n: i32, lit: usize, len: i32): bool {
  if (i + len > end) return false;
  for (let k = 0; k < len; k++) {
    const c = load<u8>(lit + <usize>k);
    if (load<u8>(b + <usize>(i + k)) != c) return false;
    store<u16>(u + (<usize>(n + k) << 1), c);
  }
  return true;
}

/** The role whose name starts with byte `c` (the rest is checked with its name). */
function roleAt(c: u32): i32 {
  if (c == 0x73) return SYSTEM;
  if (c == 0x75) return USER;
  if (c == 0x61) return ASSISTANT;
  if (c == 0x74) return TOOL;
  return -1;
}

/** The character of the escape whose letter is at b[p], or -1 when JSON.stringify would not write it so. */
function unescaped(b: usize, n: i32, p: i32): i32 {
  if (p >= n) return -1;
  const c = load<u8>(b + <usize>p);
  if (c == 0x22) return 0x22;
  if (c == 0x5c) return 0x5c;
  if (c == 0x62) return 0x08;
  if (c == 0x66) return 0x0c;
  if (c == 0x6e) return 0x0a;
  if (c == 0x72) return 0x0d;
  if (c == 0x74) return 0x09;
  if (c != 0x75) return -1;
  // \u00xx in lower-case hex, for the control characters without a one-letter escape
  if (p + 4 >= n || load<u8>(b + <usize>(p + 1)) != 0x30 || load<u8>(b + <usize>(p + 2)) != 0x30) return -1;
  const hi = <i32>load<u8>(b + <usize>(p + 3));
  const lo = hexDigit(<i32>load<u8>(b + <usize>(p + 4)));
  if ((hi != 0x30 && hi != 0x31) || lo < 0) return -1;
  const e = ((hi - 0x30) << 4) | lo;
  return e == 0x08 || e == 0x09 || e == 0x0a || e == 0x0c || e == 0x0d ? -1 : e;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** orderProblem of check-turns.ts finds nothing, and there is an assistant turn. */
function inOrder(roles: usize, turns: i32): bool {
  let prev = -1;
  let assistant = false;
  for (let i = 0; i < turns; i++) {
    const role = <i32>load<u8>(roles + <usize>i);
    if (role == SYSTEM) {
      if (i != 0) return false;
    } else if (prev < 0 || prev == SYSTEM) {
      if (role != USER) return false;
    } else if (prev == USER) {
      if (role != ASSISTANT) return false;
    } else if (prev == ASSISTANT) {
      if (role == ASSISTANT) return false;
    } else if (prev == TOOL) {
      if (role == USER) return false;
    }
    if (role == ASSISTANT) assistant = true;
    prev = role;
  }
  return assistant;
}

// flags of CLASS (char-counts.ts)
const LETTER = 1;
const PAIR = 8;
const PAIR_CHINESE = 16;

/**
 * One pass over every turn's content for two things: countCharUnits' counts (Chinese, other
 * characters and English words, written at `at` as i32 x3), and the units rowDedupKey hashes
 * (role, 0x01, normalized content, 0x02 between turns) in normUnits, each content unit through
 * FAST. Returns their number, or -1 when a unit is slow (the counts are whole either way).
 */
function countAndNormalize(at: usize, roles: usize, turns: i32): i32 {
  let chinese = 0;
  let codePoints = 0;
  let words = 0;
  let m = 0; // -1 once a slow unit is seen
  for (let t = 0; t < turns; t++) {
    if (m >= 0) {
      if (t > 0) {
        store<u16>(normUnits + (<usize>m << 1), 0x02);
        m++;
      }
      const role = <usize>load<u8>(roles + <usize>t);
      const nameLen = <i32>load<u8>(ROLE_LENGTHS + role);
      for (let k = 0; k < nameLen; k++) store<u16>(normUnits + (<usize>(m + k) << 1), load<u8>(ROLE_NAMES + role * 9 + <usize>k));
      m += nameLen;
      store<u16>(normUnits + (<usize>m << 1), 0x01);
      m++;
    }
    const end = load<i32>(turnBounds + (<usize>t << 3) + 4);
    let inWord = 0;
    for (let i = load<i32>(turnBounds + (<usize>t << 3)); i < end; i++) {
      const c = <u32>load<u16>(contentUnits + (<usize>i << 1));
      const cls = <i32>load<u8>(classTable + <usize>c);
      codePoints++;
      if (cls >= PAIR) {
        if (cls & PAIR_CHINESE) chinese++;
        inWord = 0;
        if (m >= 0) m = addPair(c, i + 1, end, m);
        i++; // the low surrogate
        continue;
      }
      const letter = cls & LETTER;
      words += letter & (inWord ^ 1);
      inWord = letter | (inWord & (cls >> 1));
      chinese += cls >> 2;
      if (m >= 0) {
        const k = <u32>load<u8>(fastTable + <usize>c);
        if (k == 0) m = -1; // SLOW
        else {
          store<u16>(normUnits + (<usize>m << 1), <u16>(c | (k & 0x20)));
          m += k & 1;
        }
      }
    }
  }
  store<i32>(at, chinese);
  store<i32>(at + 4, codePoints - chinese);
  store<i32>(at + 8, words);
  return m;
}

/**
 * The normalized units of the high surrogate `c` with the unit at contentUnits[next] (before
 * `end`), written at normUnits[m]: kept or dropped whole where the supplementary table says so.
 * Returns the units written so far, or -1 where the pair is slow (or no pair).
 */
function addPair(c: u32, next: i32, end: i32, m: i32): i32 {
  if ((c & 0xfc00) != 0xd800 || next >= end) return -1;
  const low = <u32>load<u16>(contentUnits + (<usize>next << 1));
  if ((low & 0xfc00) != 0xdc00) return -1;
  const cp: u32 = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
  if (cp < SUPPLEMENTARY_FROM || cp >= SUPPLEMENTARY_END) return -1;
  const verdict = <u32>load<u8>(supplementaryTable + <usize>(cp - SUPPLEMENTARY_FROM));
  if (verdict == 0) return -1; // SLOW
  if (verdict == 1) {
    // kept (FAST's KEEP): both units as they are
    store<u16>(normUnits + (<usize>m << 1), <u16>c);
    store<u16>(normUnits + (<usize>(m + 1) << 1), <u16>low);
    return m + 2;
  }
  return m; // dropped
}

/**
 * The answer LabelCounter.addAnswer takes (answerOf of chat-line-facts.ts): the last assistant
 * turn's units copied to answers[a..], its bounds written at `at`; none when it is longer than a
 * label even once trimmed. Returns the answer units written so far.
 */
function answer(roles: usize, turns: i32, at: usize, answers: usize, a: i32): i32 {
  let t = turns - 1;
  while (t >= 0 && load<u8>(roles + <usize>t) != ASSISTANT) t--;
  const start = load<i32>(turnBounds + (<usize>t << 3));
  const end = load<i32>(turnBounds + (<usize>t << 3) + 4);
  const first = load<u16>(contentUnits + (<usize>start << 1));
  const last = load<u16>(contentUnits + (<usize>(end - 1) << 1));
  if (end - start > MAX_LABEL_CHARS && load<u8>(trimTable + <usize>first) == 0 && load<u8>(trimTable + <usize>last) == 0) return a;
  memory.copy(answers + (<usize>a << 1), contentUnits + (<usize>start << 1), <usize>(end - start) << 1);
  store<i32>(at, a);
  store<i32>(at + 4, a + end - start);
  return a + end - start;
}

// TextHasher of src/stats/text-hasher.ts over `n` units at `p`, from its initial state

function hashUnits(p: usize, n: i32): f64 {
  let h1: u32 = 0x9747b28c;
  let h2: u32 = 0x3c6ef372;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = load<u32>(p + (<usize>i << 1));
    h1 = lane1(h1, k);
    h2 = lane2(h2, k);
  }
  if (i < n) {
    const k = <u32>load<u16>(p + (<usize>i << 1)) | 0x10000;
    h1 = lane1(h1, k);
    h2 = lane2(h2, k);
  }
  h1 = fmix(h1 ^ <u32>n);
  h2 = fmix(h2 ^ (<u32>n * 0x9e3779b1));
  h1 = h1 + h2;
  h2 = h2 + h1;
  return <f64>(h2 >>> 11) * 4294967296.0 + <f64>h1;
}

// @ts-ignore: decorator
@inline
function lane1(h: u32, k: u32): u32 {
  k = rotl<u32>(k * 0xcc9e2d51, 15);
  h = rotl<u32>(h ^ (k * 0x1b873593), 13);
  return h * 5 + 0xe6546b64;
}

// @ts-ignore: decorator
@inline
function lane2(h: u32, k: u32): u32 {
  k = rotl<u32>(k * 0x85ebca6b, 16);
  h = rotl<u32>(h ^ (k * 0xc2b2ae35), 17);
  return h * 9 + 0x7feb352d;
}

function fmix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}
