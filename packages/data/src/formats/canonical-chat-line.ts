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
 * duplicate key) and the turn contents, unescaped, into `content`, in one pass; the buffers
 * are reused by the next read.
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
    return this.parse(bytes) && this.inOrder();
  }

  /** Index of the last assistant turn (read() guarantees one). */
  lastAssistant(): number {
    for (let i = this.turns - 1; i >= 0; i--) if (this.roles[i] === ASSISTANT) return i;
    return -1;
  }

  /**
   * The row's structure, in one pass over the bytes: the line decoded into `line` and the
   * contents, unescaped, into `content`. UTF-8 is refused where firstInvalidByte refuses it.
   */
  private parse(b: Uint8Array): boolean {
    const end = b.length;
    if (this.line.length < end) this.line = new Uint16Array(end * 2);
    if (this.content.length < end) this.content = new Uint16Array(end * 2);
    const u = this.line;
    const out = this.content;
    let i = 0; // bytes read
    let n = 0; // units written to `line`
    let w = 0; // units written to `content`
    this.turns = 0;
    // the structure is ASCII, a unit per byte
    if (!copyLiteral(b, i, u, n, HEAD)) return false;
    i += HEAD.length;
    n += HEAD.length;
    for (;;) {
      if (!copyLiteral(b, i, u, n, TURN_HEAD)) return false;
      i += TURN_HEAD.length;
      n += TURN_HEAD.length;
      const role = roleAt(b[i]);
      if (role < 0) return false;
      const tail = ROLE_TAILS[role]!;
      if (!copyLiteral(b, i, u, n, tail)) return false;
      i += tail.length;
      n += tail.length;
      const start = w;
      for (;;) {
        if (i >= end) return false;
        const c = b[i]!;
        if (c < 0x80) {
          if (c === 0x22) break;
          if (c < 0x20) return false; // JSON.stringify escapes them
          if (c === 0x5c) {
            const e = unescaped(b, end, i + 1);
            if (e < 0) return false;
            const len = e < 0x20 && b[i + 1] === 0x75 ? 6 : 2; // \u00xx or a one-letter escape
            for (let k = 0; k < len; k++) u[n++] = b[i + k]!;
            i += len;
            out[w++] = e;
          } else {
            u[n++] = c;
            out[w++] = c;
            i++;
          }
        } else if (c < 0xe0) {
          if (c < 0xc2 || i + 1 >= end) return false;
          const c1 = b[i + 1]! ^ 0x80;
          if (c1 > 0x3f) return false;
          const unit = ((c & 0x1f) << 6) | c1;
          u[n++] = unit;
          out[w++] = unit;
          i += 2;
        } else if (c < 0xf0) {
          if (i + 2 >= end) return false;
          const c1 = b[i + 1]! ^ 0x80;
          const c2 = b[i + 2]! ^ 0x80;
          if ((c1 | c2) > 0x3f) return false;
          const unit = ((c & 0x0f) << 12) | (c1 << 6) | c2;
          if (unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff)) return false;
          u[n++] = unit;
          out[w++] = unit;
          i += 3;
        } else {
          if (c > 0xf4 || i + 3 >= end) return false;
          const c1 = b[i + 1]! ^ 0x80;
          const c2 = b[i + 2]! ^ 0x80;
          const c3 = b[i + 3]! ^ 0x80;
          if ((c1 | c2 | c3) > 0x3f) return false;
          const cp = ((c & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
          if (cp < 0x10000 || cp > 0x10ffff) return false;
          const high = 0xd7c0 + (cp >> 10); // 0xd800 + ((cp - 0x10000) >> 10)
          const low = 0xdc00 | (cp & 0x3ff);
          u[n++] = high;
          u[n++] = low;
          out[w++] = high;
          out[w++] = low;
          i += 4;
        }
      }
      u[n++] = 0x22; // the closing quote
      i++;
      let k = start;
      while (k < w && TRIMMED[out[k]!] === 1) k++;
      if (k === w) return false; // an empty turn: the general path reports it
      this.addTurn(role, start, w);
      if (b[i] !== 0x7d) return false;
      u[n++] = 0x7d;
      i++;
      if (b[i] === 0x2c) {
        u[n++] = 0x2c;
        i++;
        continue;
      }
      if (i + 2 !== end || b[i] !== 0x5d || b[i + 1] !== 0x7d) return false;
      u[n++] = 0x5d;
      u[n++] = 0x7d;
      this.lineLength = n;
      return true;
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

/** Whether `lit` is at `b[i..]`; if so it is copied to `u[n..]`. */
function copyLiteral(b: Uint8Array, i: number, u: Uint16Array, n: number, lit: Uint8Array): boolean {
  if (i + lit.length > b.length) return false;
  for (let k = 0; k < lit.length; k++) {
    if (b[i + k] !== lit[k]) return false;
    u[n + k] = lit[k]!;
  }
  return true;
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
function unescaped(u: Uint8Array, n: number, p: number): number {
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
