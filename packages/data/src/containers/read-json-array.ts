import type { RawRecord } from '../types.ts';
import { invalidJson, lineTooLong } from '../errors/syntax-errors.ts';
import { readLines, type ReadLinesOptions } from './read-lines.ts';
import { parseJsonText } from './read-jsonl.ts';

/**
 * A JSON file holding one array of rows (pretty-printed or not), streamed element by element:
 * a small scanner tracks strings and brackets to cut the top-level elements out, and each
 * element is parsed alone, so a 1 GB array never sits in memory. A record's line is the line
 * its element starts on; a syntax error names the file's own line and column.
 */
export async function* readJsonArray(path: string, opts: ReadLinesOptions): AsyncGenerator<RawRecord[]> {
  const s = new ArrayScanner(opts.maxLineBytes);
  for await (const batch of readLines(path, { ...opts, keepBlank: true, splitLongLines: true })) {
    const out: RawRecord[] = [];
    for (const item of batch) {
      if (item.error) {
        s.abandonElement();
        out.push({ line: item.line, error: item.error });
        continue;
      }
      s.feed(item.line, item.text, out, item.partial === true);
    }
    if (out.length > 0) yield out;
  }
  const tail: RawRecord[] = [];
  s.finish(tail);
  if (tail.length > 0) yield tail;
}

type State = 'start' | 'open' | 'element' | 'afterElement' | 'closed' | 'broken';

class ArrayScanner {
  private state: State = 'start';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private size = 0;
  private startLine = 0;
  private startColumn = 0;
  private lastLine = 0;
  private tooLong = false;
  private continuing = false;
  private columnBase = 0;
  /** Where the last top-level "," was, while no row has followed it yet (a trailing comma if "]" comes next). */
  private commaLine = 0;
  private commaColumn = 0;

  constructor(private readonly maxBytes: number) {}

  abandonElement(): void {
    if (this.state === 'element') this.resetElement('afterElement');
  }

  /** `partial`: the line goes on in the next call (a long minified line handed over in pieces). */
  feed(line: number, text: string, out: RawRecord[], partial = false): void {
    const base = line === this.lastLine && this.continuing ? this.columnBase : 0;
    this.continuing = partial;
    this.columnBase = partial ? base + text.length : 0;
    this.lastLine = line;
    let segStart = -1; // where the element's text on this line begins
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case 'element': {
          if (segStart < 0) segStart = i;
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === 0x5c) this.escaped = true;
            else if (c === 0x22) this.inString = false;
            continue;
          }
          if (c === 0x22) this.inString = true;
          else if (c === 0x7b || c === 0x5b) this.depth++;
          else if (c === 0x7d || c === 0x5d) {
            if (this.depth === 0) {
              // a scalar element ended by "]"
              this.take(text, segStart, i);
              this.emit(out);
              this.state = 'closed';
              segStart = -1;
              continue;
            }
            this.depth--;
            if (this.depth === 0) {
              this.take(text, segStart, i + 1);
              this.emit(out);
              segStart = -1;
            }
          } else if (c === 0x2c && this.depth === 0) {
            this.take(text, segStart, i);
            this.emit(out);
            this.afterComma(line, base + i + 1);
            segStart = -1;
          }
          continue;
        }
        case 'start':
          if (isWs(c)) continue;
          if (c !== 0x5b) {
            out.push({ line, error: invalidJson(line, base + i + 1, 'expected "[" to open the array of rows') });
            this.state = 'broken';
            return;
          }
          this.state = 'open';
          continue;
        case 'open':
          if (isWs(c)) continue;
          if (c === 0x5d) {
            // JSON.parse, Python's json and every other tool refuse "[{...},]": so do we, where the comma is.
            if (this.commaLine > 0) out.push({ line: this.commaLine, error: invalidJson(this.commaLine, this.commaColumn, 'a trailing "," after the last row (JSON allows no comma before "]"; remove it)') });
            this.state = 'closed';
            continue;
          }
          if (c === 0x2c) {
            out.push({ line, error: invalidJson(line, base + i + 1, 'unexpected ",", expected a row') });
            this.commaLine = 0; // reported once, here
            continue;
          }
          this.beginElement(line, base + i + 1);
          segStart = i;
          i--; // let the element state see this character
          continue;
        case 'afterElement':
          if (isWs(c)) continue;
          if (c === 0x2c) this.afterComma(line, base + i + 1);
          else if (c === 0x5d) this.state = 'closed';
          else {
            out.push({ line, error: invalidJson(line, base + i + 1, `unexpected "${text[i]}", expected "," or "]" after a row`) });
            this.beginElement(line, base + i + 1);
            segStart = i;
            i--;
          }
          continue;
        case 'closed':
          if (isWs(c)) continue;
          out.push({ line, error: invalidJson(line, base + i + 1, 'text after the closing "]" of the array') });
          this.state = 'broken';
          return;
        case 'broken':
          return;
      }
    }
    if (this.state === 'element') {
      this.take(text, segStart < 0 ? 0 : segStart, text.length);
      if (!partial) this.take('\n', 0, 1);
    }
  }

  finish(out: RawRecord[]): void {
    if (this.state === 'element') {
      const text = this.parts.join('').trimEnd();
      if (this.depth === 0 && !this.inString && text.length > 0) {
        this.emit(out);
        out.push({ line: this.lastLine, error: invalidJson(this.lastLine, 1, 'the array is not closed: add "]" at the end of the file') });
      } else {
        out.push({ line: this.startLine, error: invalidJson(this.startLine, this.startColumn, 'this row is not closed before the end of the file') });
      }
    } else if (this.state === 'open' || this.state === 'afterElement') {
      out.push({ line: this.lastLine, error: invalidJson(this.lastLine, 1, 'the array is not closed: add "]" at the end of the file') });
    }
  }

  private afterComma(line: number, column: number): void {
    this.state = 'open';
    this.commaLine = line;
    this.commaColumn = column;
  }

  private beginElement(line: number, column: number): void {
    this.state = 'element';
    this.commaLine = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    this.size = 0;
    this.tooLong = false;
    this.startLine = line;
    this.startColumn = column;
  }

  private take(text: string, from: number, to: number): void {
    if (to <= from) return;
    const piece = text.slice(from, to);
    this.size += Buffer.byteLength(piece);
    if (this.tooLong) return;
    if (this.size > this.maxBytes) {
      this.tooLong = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  private emit(out: RawRecord[]): void {
    if (this.tooLong) out.push({ line: this.startLine, error: lineTooLong(this.startLine, this.size, this.maxBytes) });
    else out.push(parseJsonText(this.startLine, this.parts.join(''), this.startColumn));
    this.resetElement('afterElement');
  }

  private resetElement(next: State): void {
    this.state = next;
    this.parts = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.tooLong = false;
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
