import type { LineError, RawRecord } from '../types.ts';
import { invalidCsv, lineTooLong } from '../errors/syntax-errors.ts';
import { readLines, type ReadLinesOptions } from './read-lines.ts';
import { headerlessMmluHeader } from './headerless-mmlu.ts';

/**
 * CSV with a header row (RFC 4180: quoted cells may hold commas, "" and newlines), streamed
 * record by record. A tab-separated header (and no comma) switches to TSV. A file whose first row
 * is an MMLU question (six cells ending in a letter A-D) is read as MMLU's headerless layout. Each record becomes
 * an object keyed by the header; its line is the line the record starts on.
 */
export async function* readCsv(path: string, opts: ReadLinesOptions): AsyncGenerator<RawRecord[]> {
  const p = new CsvRecordParser(opts.maxLineBytes);
  let header: string[] | null = null;
  for await (const batch of readLines(path, { ...opts, keepBlank: true })) {
    const out: RawRecord[] = [];
    for (const item of batch) {
      if (item.error) {
        p.reset();
        out.push({ line: item.line, error: item.error });
        continue;
      }
      const rec = p.feed(item.line, item.text);
      if (!rec) continue;
      if (rec.error) {
        out.push({ line: rec.line, error: rec.error });
        continue;
      }
      if (!header) {
        // MMLU's released CSV files have no header: their first row is already a question.
        const mmlu = headerlessMmluHeader(rec.cells);
        header = mmlu ?? rec.cells.map((h) => h.trim());
        if (!mmlu) continue;
      }
      out.push(toRecord(header, rec.line, rec.cells));
    }
    if (out.length > 0) yield out;
  }
  if (p.pending) yield [{ line: p.pendingLine, error: invalidCsv(p.pendingLine, 'A quoted cell is not closed before the end of the file') }];
}

function toRecord(header: string[], line: number, cells: string[]): RawRecord {
  if (cells.length !== header.length) {
    return { line, error: invalidCsv(line, `The row has ${cells.length} cells but the header has ${header.length} columns`) };
  }
  const value: Record<string, string> = {};
  header.forEach((h, i) => {
    if (h !== '') value[h] = cells[i]!;
  });
  return { line, value, stringCells: true };
}

type Parsed = { line: number; cells: string[]; error?: undefined } | { line: number; error: LineError; cells?: undefined };

class CsvRecordParser {
  private delimiter: number | null = null;
  private cells: string[] = [];
  private cell = '';
  private quoted = false; // inside a quoted cell that continues on the next line
  private startLine = 0;
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  get pending(): boolean {
    return this.quoted;
  }
  get pendingLine(): number {
    return this.startLine;
  }

  reset(): void {
    this.cells = [];
    this.cell = '';
    this.quoted = false;
    this.justClosed = false;
    this.size = 0;
  }

  /** Feeds one line; returns a record when this line completes one, null for blank or partial. */
  feed(line: number, text: string): Parsed | null {
    if (!this.quoted) {
      if (text.trim() === '') return null;
      this.startLine = line;
      this.size = 0;
      if (this.delimiter === null) this.delimiter = text.includes(',') || !text.includes('\t') ? 0x2c : 0x09;
    }
    this.size += text.length;
    if (this.size > this.maxBytes) {
      this.reset();
      return { line: this.startLine, error: lineTooLong(this.startLine, this.size, this.maxBytes) };
    }
    const d = this.delimiter!;
    let i = 0;
    if (this.quoted) {
      this.cell += '\n';
      i = this.scanQuoted(text, 0);
      if (i < 0) return null;
    }
    for (;;) {
      // at the start of a cell (or just after a closing quote)
      if (i >= text.length) break;
      const c = text.charCodeAt(i);
      if (c === 0x22 && this.cell === '' && !this.justClosed) {
        i = this.scanQuoted(text, i + 1);
        if (i < 0) return null;
        continue;
      }
      if (c === d) {
        this.endCell();
        i++;
        continue;
      }
      if (this.justClosed) {
        const bad = { line, error: invalidCsv(line, `Text after a closing quote at column ${i + 1}`) };
        this.reset();
        return bad;
      }
      // unquoted run up to the next delimiter
      let j = text.indexOf(String.fromCharCode(d), i);
      if (j < 0) j = text.length;
      this.cell += text.slice(i, j);
      i = j;
    }
    this.endCell();
    const cells = this.cells;
    this.cells = [];
    return { line: this.startLine, cells };
  }

  private justClosed = false;

  private endCell(): void {
    this.cells.push(this.cell);
    this.cell = '';
    this.justClosed = false;
  }

  /** Reads a quoted cell from i; returns the index after its closing quote, or -1 if it goes on. */
  private scanQuoted(text: string, i: number): number {
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        this.cell += text.slice(i);
        this.quoted = true;
        return -1;
      }
      this.cell += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 0x22) {
        this.cell += '"';
        i = q + 2;
        continue;
      }
      this.quoted = false;
      this.justClosed = true;
      return q + 1;
    }
  }
}
