import { readFileSync } from 'node:fs';
import { CanonicalChatLine, TRIMMED } from '../formats/canonical-chat-line.ts';
import { chatLineFacts, type ChatLineFacts } from './chat-line-facts.ts';
import { CLASS } from './char-counts.ts';
import { FAST, fastSupplementary } from './dedup-key.ts';
import { unitsToString } from './utf16-units.ts';

/** What packages/data/assembly/chat-scan.ts exports. */
interface ChatScanExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setTables(at: number): void;
  setWorkAreas(line: number, content: number, norm: number, turns: number): void;
  scan(input: number, count: number, bounds: number, status: number, exactKeys: number, normKeys: number, counts: number, roleStart: number, roles: number, answerBounds: number, answers: number): number;
}

const OK = 1;
const NEEDS_JS = 2;
const PAGE = 65536;

let compiled: WebAssembly.Module | null = null;

/** The scanner, compiled once per thread (a few kB; compiling it takes about a millisecond). */
function chatScanModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('../../assembly/chat-scan.wasm', import.meta.url)));
  return compiled;
}

/**
 * chatLineFacts in WebAssembly (packages/data/assembly/chat-scan.ts): the same facts, worked
 * out at a fraction of the cost per byte. Lines whose normalized duplicate key needs Unicode
 * normalization (a unit FAST calls slow, other than a pair fastSupplementary keeps or drops) are
 * handed to the TypeScript chatLineFacts, which stays the reference.
 */
export class WasmChatLineFacts {
  private readonly wasm: ChatScanExports;
  /** Where the batch areas start (after the tables). */
  private readonly areas: number;
  private readonly js = new CanonicalChatLine();

  constructor() {
    this.wasm = new WebAssembly.Instance(chatScanModule()).exports as unknown as ChatScanExports;
    const tables = this.wasm.heapBase();
    const supplementary = fastSupplementary();
    this.areas = tables + 3 * 0x10000 + supplementary.length;
    this.reserve(this.areas);
    const mem = new Uint8Array(this.wasm.memory.buffer);
    mem.set(FAST, tables);
    mem.set(CLASS, tables + 0x10000);
    mem.set(TRIMMED, tables + 0x20000);
    mem.set(supplementary, tables + 0x30000);
    this.wasm.setTables(tables);
  }

  /** The facts of every line of a batch (the bytes of each, without its line ending). */
  facts(lines: readonly Uint8Array[]): ChatLineFacts {
    const n = lines.length;
    let total = 0;
    let longest = 0;
    for (const l of lines) {
      total += l.length;
      if (l.length > longest) longest = l.length;
    }
    // one area after another, each 8-byte aligned (bounds are generous: a turn takes 30 bytes or more)
    let at = this.areas;
    const area = (bytes: number): number => {
      const start = at;
      at += (bytes + 15) & ~7;
      return start;
    };
    const input = area(total);
    const bounds = area(8 * n);
    const status = area(n);
    const exactKeys = area(8 * n);
    const normKeys = area(8 * n);
    const counts = area(12 * n);
    const roleStart = area(4 * (n + 1));
    const roles = area((total >> 4) + n);
    const answerBounds = area(8 * n);
    const answers = area(2 * total);
    const lineUnits = area(2 * longest);
    const contentUnits = area(2 * longest);
    const normUnits = area(4 * longest + 64);
    const turnBounds = area(longest + 64);
    this.reserve(at);

    const buffer = this.wasm.memory.buffer;
    const mem = new Uint8Array(buffer);
    const b = new Int32Array(buffer, bounds, 2 * n);
    let p = input;
    for (let j = 0; j < n; j++) {
      const l = lines[j]!;
      mem.set(l, p);
      b[2 * j] = p - input;
      p += l.length;
      b[2 * j + 1] = p - input;
    }
    this.wasm.setWorkAreas(lineUnits, contentUnits, normUnits, turnBounds);
    this.wasm.scan(input, n, bounds, status, exactKeys, normKeys, counts, roleStart, roles, answerBounds, answers);

    const starts = new Int32Array(buffer, roleStart, n + 1).slice();
    const counted = new Int32Array(buffer, counts, 3 * n);
    const f: ChatLineFacts = {
      ok: new Uint8Array(buffer, status, n).slice(),
      exactKey: new Float64Array(buffer, exactKeys, n).slice(),
      normalizedKey: new Float64Array(buffer, normKeys, n).slice(),
      chinese: new Int32Array(n),
      other: new Int32Array(n),
      englishWords: new Int32Array(n),
      roleStart: starts,
      roles: new Uint8Array(buffer, roles, starts[n]!).slice(),
      answers: new Array<string | null>(n).fill(null),
    };
    const answerAt = new Int32Array(buffer, answerBounds, 2 * n);
    const answerUnits = new Uint16Array(buffer, answers, total);
    for (let j = 0; j < n; j++) {
      const s = f.ok[j]!;
      if (s === 0) continue;
      f.chinese[j] = counted[3 * j]!;
      f.other[j] = counted[3 * j + 1]!;
      f.englishWords[j] = counted[3 * j + 2]!;
      if (answerAt[2 * j]! >= 0) f.answers[j] = unitsToString(answerUnits, answerAt[2 * j]!, answerAt[2 * j + 1]!);
      if (s === NEEDS_JS) {
        const one = chatLineFacts(this.js, [lines[j]!]);
        f.ok[j] = one.ok[0]!;
        f.normalizedKey[j] = one.normalizedKey[0]!;
      } else if (s !== OK) throw new Error(`chat-scan.wasm gave status ${s} for line ${j} of a batch`);
    }
    return f;
  }

  /** Grows the scanner's memory to hold `bytes`. */
  private reserve(bytes: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (bytes > have) this.wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}
