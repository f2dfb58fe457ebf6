import { open } from 'node:fs/promises';
import type { LineError } from '../types.ts';
import { invalidUtf8, lineTooLong } from '../errors/syntax-errors.ts';

/** A line of text without its line ending, or why it has none. */
export type LineItem =
  | { line: number; text: string; error?: undefined; partial?: boolean; bytes?: undefined }
  | { line: number; text?: undefined; error: LineError; partial?: undefined; bytes?: undefined };

/** A line not decoded yet (readRawLines): its bytes without the line ending. */
export interface RawLine {
  line: number;
  /** A view of the read buffer: valid until the reader is resumed. */
  bytes: Buffer;
  text?: undefined;
  error?: undefined;
}

export interface ReadLinesOptions {
  /** A longer line is reported as `line_too_long` and skipped without being held in memory. */
  maxLineBytes: number;
  /** Keep blank lines (CSV cells and JSON arrays need them); JSONL drops them. */
  keepBlank?: boolean;
  /**
   * Hand a long line over in pieces (`partial: true` on all but its last piece) instead of
   * refusing it: a minified JSON array is one line, and its reader limits each element.
   */
  splitLongLines?: boolean;
  chunkBytes?: number;
  /** Sees every byte of the file once, in order (for the checksum); the buffer is reused after it returns. */
  onChunk?: (chunk: Buffer) => void;
}

const NL = 0x0a;

/**
 * Streams a file as numbered lines in batches, in constant memory: UTF-8 with or without a
 * BOM, LF or CRLF. A chunk is decoded at once and split on "\n" (an invalid UTF-8 sequence
 * never swallows a newline byte); only chunks whose text shows U+FFFD are checked line by
 * line with a strict decoder, so a real U+FFFD in the data is not mistaken for bad bytes.
 */
export function readLines(path: string, opts: ReadLinesOptions): AsyncGenerator<LineItem[]> {
  return readLineItems(path, opts, false) as AsyncGenerator<LineItem[]>;
}

/**
 * readLines, but each whole line comes undecoded (RawLine), for a caller that can use some
 * lines as bytes; lineFromBytes gives the LineItem readLines would have given for it. Lines
 * too long to hold still come as `line_too_long` errors.
 */
export function readRawLines(path: string, opts: ReadLinesOptions): AsyncGenerator<(LineItem | RawLine)[]> {
  return readLineItems(path, { ...opts, splitLongLines: false }, true);
}

async function* readLineItems(path: string, opts: ReadLinesOptions, raw: boolean): AsyncGenerator<(LineItem | RawLine)[]> {
  const chunkBytes = opts.chunkBytes ?? 1 << 20;
  const fh = await open(path, 'r');
  // two read buffers for the whole file, the next chunk read into one while the lines of the
  // other are worked on: nothing made from a chunk keeps a view of it once the reader is resumed
  // (lines are decoded to strings or used before, the unfinished line is copied)
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  let reading = 0;
  let next: Promise<{ bytesRead: number }> | null = fh.read(buffers[0]!, 0, chunkBytes, null);
  try {
    let carry: Buffer | null = null; // bytes of the unfinished line
    let lineNo = 1; // number of the next line to start
    let skipping = 0; // > 0: inside an over-long line, bytes seen so far
    let first = true;
    for (;;) {
      const { bytesRead } = await next!;
      next = null;
      if (bytesRead === 0) break;
      const buf = buffers[reading]!;
      reading ^= 1;
      next = fh.read(buffers[reading]!, 0, chunkBytes, null);
      let chunk = buf.subarray(0, bytesRead);
      opts.onChunk?.(chunk);
      if (first) {
        first = false;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      const out: (LineItem | RawLine)[] = [];
      let start = 0;
      if (skipping > 0) {
        const nl = chunk.indexOf(NL);
        if (nl < 0) {
          skipping += chunk.length;
          continue;
        }
        out.push({ line: lineNo++, error: lineTooLong(lineNo - 1, skipping + nl, opts.maxLineBytes) });
        skipping = 0;
        start = nl + 1;
      }
      const lastNl = chunk.lastIndexOf(NL);
      if (lastNl >= start) {
        if (carry) {
          // the unfinished line ends here: joined on its own, so the rest of the chunk is not copied
          const nl = chunk.indexOf(NL, start);
          const first = Buffer.concat([carry, chunk.subarray(start, nl + 1)]);
          carry = null;
          lineNo = raw ? splitRaw(first, lineNo, out) : splitRegion(first, lineNo, opts, out);
          start = nl + 1;
        }
        if (lastNl >= start) {
          const region = chunk.subarray(start, lastNl + 1);
          lineNo = raw ? splitRaw(region, lineNo, out) : splitRegion(region, lineNo, opts, out);
        }
        start = lastNl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        const carried = (carry?.length ?? 0) + rest.length;
        if (opts.splitLongLines) {
          const all: Buffer = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
          // hand over all but an incomplete UTF-8 character at the end
          const cut = completeUtf8Length(all);
          if (cut > 0) splitPiece(all.subarray(0, cut), lineNo, out);
          carry = cut < all.length ? Buffer.from(all.subarray(cut)) : null;
        } else if (carried > opts.maxLineBytes) {
          skipping = carried;
          carry = null;
        } else {
          carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
        }
      }
      if (out.length > 0) yield out;
    }
    const out: (LineItem | RawLine)[] = [];
    if (skipping > 0) out.push({ line: lineNo, error: lineTooLong(lineNo, skipping, opts.maxLineBytes) });
    else if (carry && carry.length > 0) {
      if (raw) splitRaw(carry, lineNo, out);
      else splitRegion(carry, lineNo, opts, out, true);
    }
    if (out.length > 0) yield out;
  } finally {
    await next?.catch(() => undefined); // (a reader left early still has a read in flight)
    await fh.close();
  }
}

/** The length of the longest prefix that does not end inside a UTF-8 character. */
function completeUtf8Length(b: Buffer): number {
  let i = b.length - 1;
  while (i > 0 && b.length - i < 4 && (b[i]! & 0xc0) === 0x80) i--;
  const lead = b[i]!;
  const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + len > b.length ? i : b.length;
}

/** A piece of a line that goes on in the next chunk. */
function splitPiece(bytes: Buffer, lineNo: number, out: (LineItem | RawLine)[]): void {
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) {
    const bad = firstInvalidByte(bytes);
    if (bad >= 0) {
      out.push({ line: lineNo, error: invalidUtf8(lineNo, bad + 1) });
      return;
    }
  }
  out.push({ line: lineNo, text, partial: true });
}

/** Splits whole lines (the region ends with "\n" unless `last`) and returns the next line number. */
function splitRegion(region: Buffer, lineNo: number, opts: ReadLinesOptions, out: (LineItem | RawLine)[], last = false): number {
  const text = region.toString('utf8');
  const suspicious = text.includes('\uFFFD');
  const parts = text.split('\n');
  if (!last) parts.pop(); // the empty string after the final "\n"
  let byteStart = 0;
  for (const raw of parts) {
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const n = lineNo++;
    let bytes: Buffer | null = null;
    if (suspicious) {
      let byteLen = region.indexOf(NL, byteStart);
      if (byteLen < 0) byteLen = region.length;
      byteLen -= byteStart;
      bytes = region.subarray(byteStart, byteStart + byteLen);
      byteStart += byteLen + 1;
    }
    const item = lineItem(n, s, bytes, opts);
    if (item) out.push(item);
  }
  return lineNo;
}

/** Splits whole lines into RawLines as splitRegion splits them; returns the next line number. */
function splitRaw(region: Buffer, lineNo: number, out: (LineItem | RawLine)[]): number {
  let start = 0;
  while (start < region.length) {
    let end = region.indexOf(NL, start);
    const next = end < 0 ? region.length : end + 1;
    if (end < 0) end = region.length;
    if (end > start && region[end - 1] === 0x0d) end--;
    out.push({ line: lineNo++, bytes: region.subarray(start, end) });
    start = next;
  }
  return lineNo;
}

/** The LineItem readLines gives for a RawLine (null for a blank line it skips). */
export function lineFromBytes(raw: RawLine, opts: ReadLinesOptions): LineItem | null {
  return lineItem(raw.line, raw.bytes.toString('utf8'), raw.bytes, opts);
}

/**
 * Line `n` decoded as `s`, or why it cannot be used; `bytes` are its bytes when `s` may hold
 * a U+FFFD from invalid UTF-8 (else null). Null for a blank line that is skipped.
 */
function lineItem(n: number, s: string, bytes: Uint8Array | null, opts: ReadLinesOptions): LineItem | null {
  if (bytes && s.includes('\uFFFD')) {
    const bad = firstInvalidByte(bytes);
    if (bad >= 0) return { line: n, error: invalidUtf8(n, bad + 1) };
  }
  if (!opts.keepBlank && isBlank(s)) return null;
  if (!opts.splitLongLines && s.length * 3 > opts.maxLineBytes) {
    const length = Buffer.byteLength(s);
    if (length > opts.maxLineBytes) return { line: n, error: lineTooLong(n, length, opts.maxLineBytes) };
  }
  return { line: n, text: s };
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidByte(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + len > n) return i;
    const c1 = b[i + 1]!;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}
