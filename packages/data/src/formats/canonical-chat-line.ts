import { orderProblem } from './check-turns.ts';

/** Roles a canonical line may hold: the OpenAI roles that are their own internal role. */
export const CANONICAL_ROLES = ['system', 'user', 'assistant', 'tool'] as const;
const ASSISTANT = 2;

const HEAD = ascii('{"messages":[');
const TURN_HEAD = ascii('{"role":"');
/** Each role as written, with what follows it up to the content's opening quote. */
const ROLE_TAILS = CANONICAL_ROLES.map((r) => ascii(`${r}","content":"`));

/** Code units String.prototype.trim removes (built from it, so the two always agree). */
export const TRIMMED = buildTrimmedTable();

/**
 * One JSONL line of OpenAI chat that is already, byte for byte, the row the general path would
 * write: `JSON.stringify(normalizeRow('openai', JSON.parse(line)).row)` equals the line. That is
 * `{"messages":[{"role":R,"content":C},...]}` with no other field or space, R one of
 * CANONICAL_ROLES, every C a non-blank string escaped exactly as JSON.stringify escapes it (raw
 * characters, `\"` `\\` `\b` `\f` `\n` `\r` `\t`, `\u00xx` for other control characters), and
 * the turns in an order checkTurns accepts. Anything else (another shape, a `\u` escape
 * JSON.stringify would not write, invalid UTF-8, a row with an error) is refused, and the
 * caller reads the line the general way, so the fast path never decides anything about a
 * line the general path would see differently.
 *
 * `read` decodes the line's UTF-8 into `line` (its UTF-16 code units, for the exact
 * duplicate key) and the turn contents, unescaped, into `content`; the buffers are reused by
 * the next read.
 */
export class CanonicalChatLine {
  /** The line as UTF-16 code units, `lineLength` of them. */
  line = new Uint16Array(1 << 16);
  lineLength = 0;
  /** The turn contents, unescaped, back to back: turn i is content[starts[i]..ends[i]). */
  content = new Uint16Array(1 << 16);
  turns = 0;
  /** Turn i's role, an index into CANONICAL_ROLES. */
  roles = new Uint8Array(64);
  starts = new Int32Array(64);
  ends = new Int32Array(64);

  /** Reads `bytes`; false when the line is not canonical (then the fields hold nothing useful). */
  read(bytes: Uint8Array): boolean {
    return this.decode(bytes) && this.parse() && this.inOrder();
  }

  /** Index of the last assistant turn (read() guarantees one). */
  lastAssistant(): number {
    for (let i = this.turns - 1; i >= 0; i--) if (this.roles[i] === ASSISTANT) return i;
    return -1;
  }

  /** UTF-8 to UTF-16, refusing what firstInvalidByte refuses, and raw control characters. */
  private decode(b: Uint8Array): boolean {
    const end = b.length;
    if (this.line.length < end) this.line = new Uint16Array(end * 2);
    const u = this.line;
    let n = 0;
    let i = 0;
    while (i < end) {
      const c = b[i]!;
      if (c < 0x80) {
        if (c < 0x20) return false; // JSON.stringify escapes them
        u[n++] = c;
        i++;
      } else if (c < 0xe0) {
        if (c < 0xc2 || i + 1 >= end) return false;
        const c1 = b[i + 1]! ^ 0x80;
        if (c1 > 0x3f) return false;
        u[n++] = ((c & 0x1f) << 6) | c1;
        i += 2;
      } else if (c < 0xf0) {
        if (i + 2 >= end) return false;
        const c1 = b[i + 1]! ^ 0x80;
        const c2 = b[i + 2]! ^ 0x80;
        if ((c1 | c2) > 0x3f) return false;
        const cp = ((c & 0x0f) << 12) | (c1 << 6) | c2;
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        u[n++] = cp;
        i += 3;
      } else {
        if (c > 0xf4 || i + 3 >= end) return false;
        const c1 = b[i + 1]! ^ 0x80;
        const c2 = b[i + 2]! ^ 0x80;
        const c3 = b[i + 3]! ^ 0x80;
        if ((c1 | c2 | c3) > 0x3f) return false;
        const cp = ((c & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
        if (cp < 0x10000 || cp > 0x10ffff) return false;
        u[n++] = 0xd7c0 + (cp >> 10); // 0xd800 + ((cp - 0x10000) >> 10)
        u[n++] = 0xdc00 | (cp & 0x3ff);
        i += 4;
      }
    }
    this.lineLength = n;
    return true;
  }

  /** The row's structure; the contents unescaped into `content`. */
  private parse(): boolean {
    const u = this.line;
    const n = this.lineLength;
    if (this.content.length < n) this.content = new Uint16Array(n * 2);
    const out = this.content;
    let w = 0;
    let p = matchAt(u, n, 0, HEAD);
    this.turns = 0;
    for (;;) {
      p = matchAt(u, n, p, TURN_HEAD);
      if (p < 0) return false;
      const role = roleAt(u[p]);
      if (role < 0) return false;
      p = matchAt(u, n, p, ROLE_TAILS[role]!);
      if (p < 0) return false;
      const start = w;
      for (;;) {
        let c = 0;
        for (; p < n; p++) {
          c = u[p]!;
          if (c === 0x22 || c === 0x5c) break;
          out[w++] = c;
        }
        if (p++ >= n) return false;
        if (c === 0x22) break;
        c = unescaped(u, n, p);
        if (c < 0) return false;
        p += c < 0x20 && u[p] === 0x75 ? 5 : 1; // \u00xx or a one-letter escape
        out[w++] = c;
      }
      let k = start;
      while (k < w && TRIMMED[out[k]!] === 1) k++;
      if (k === w) return false; // an empty turn: the general path reports it
      this.addTurn(role, start, w);
      if (p >= n || u[p] !== 0x7d) return false;
      p++;
      if (u[p] === 0x2c) p++;
      else return p + 2 === n && u[p] === 0x5d && u[p + 1] === 0x7d;
    }
  }

  private addTurn(role: number, start: number, end: number): void {
    const t = this.turns++;
    if (t === this.roles.length) {
      this.roles = grow(this.roles, new Uint8Array(t * 2));
      this.starts = grow(this.starts, new Int32Array(t * 2));
      this.ends = grow(this.ends, new Int32Array(t * 2));
    }
    this.roles[t] = role;
    this.starts[t] = start;
    this.ends[t] = end;
  }

  /** The order rules of checkTurns, by its own orderProblem; at least one assistant turn. */
  private inOrder(): boolean {
    let prev: string | null = null;
    let assistant = false;
    for (let i = 0; i < this.turns; i++) {
      const role = CANONICAL_ROLES[this.roles[i]!]!;
      if (orderProblem(prev, role, i) !== null) return false;
      if (role === 'assistant') assistant = true;
      prev = role;
    }
    return assistant;
  }
}

/** The position after `lit` when it is at `u[p..]`, else -1 (and -1 stays -1). */
function matchAt(u: Uint16Array, n: number, p: number, lit: Uint8Array): number {
  if (p < 0 || p + lit.length > n) return -1;
  for (let k = 0; k < lit.length; k++) if (u[p + k] !== lit[k]) return -1;
  return p + lit.length;
}

/** The role that starts with unit `c` (the rest is checked with its tail). */
function roleAt(c: number | undefined): number {
  switch (c) {
    case 0x73: // s
      return 0;
    case 0x75: // u
      return 1;
    case 0x61: // a
      return 2;
    case 0x74: // t
      return 3;
    default:
      return -1;
  }
}

/**
 * The character of the escape whose letter is at `u[p]` (after the backslash), or -1 when
 * JSON.stringify would not have written it so.
 */
function unescaped(u: Uint16Array, n: number, p: number): number {
  if (p >= n) return -1;
  switch (u[p]) {
    case 0x22:
      return 0x22;
    case 0x5c:
      return 0x5c;
    case 0x62: // b
      return 0x08;
    case 0x66: // f
      return 0x0c;
    case 0x6e: // n
      return 0x0a;
    case 0x72: // r
      return 0x0d;
    case 0x74: // t
      return 0x09;
    case 0x75: {
      // \u00xx in lower-case hex, for the control characters without a one-letter escape
      if (p + 4 >= n || u[p + 1] !== 0x30 || u[p + 2] !== 0x30) return -1;
      const hi = u[p + 3]!;
      const lo = hexDigit(u[p + 4]!);
      if ((hi !== 0x30 && hi !== 0x31) || lo < 0) return -1;
      const c = ((hi - 0x30) << 4) | lo;
      return c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? -1 : c;
    }
    default:
      return -1;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

function grow<T extends Uint8Array | Int32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

function buildTrimmedTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if (String.fromCharCode(c).trim() === '') t[c] = 1;
  return t;
}
