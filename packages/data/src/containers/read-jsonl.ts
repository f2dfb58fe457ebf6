import type { RawRecord } from '../types.ts';
import { invalidJson, tooDeep } from '../errors/syntax-errors.ts';
import { lineFromBytes, readLines, type LineItem, type RawLine, type ReadLinesOptions } from './read-lines.ts';
import { locateJsonError } from './json-error-position.ts';
import { DEPTH_SCAN_MIN_LENGTH, MAX_LINE_DEPTH, textExceedsDepth } from './json-depth.ts';

/** JSONL: one JSON value per line; blank lines are skipped. */
export async function* readJsonl(path: string, opts: ReadLinesOptions): AsyncGenerator<RawRecord[]> {
  for await (const batch of readLines(path, opts)) {
    const out: RawRecord[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = jsonlRecord(batch[i]!);
    yield out;
  }
}

/** The record of one JSONL line; a RawLine (see readRawLines) is decoded first, null when blank. */
export function jsonlRecord(item: LineItem): RawRecord;
export function jsonlRecord(item: LineItem | RawLine, opts: ReadLinesOptions): RawRecord | null;
export function jsonlRecord(item: LineItem | RawLine, opts?: ReadLinesOptions): RawRecord | null {
  const l = item.bytes ? lineFromBytes(item, opts!) : (item as LineItem);
  if (!l) return null;
  return l.error ? { line: l.line, error: l.error } : parseJsonText(l.line, l.text, 1);
}

/** Parses one record's JSON text; `line` is where it starts, `column` where its first char is. */
export function parseJsonText(line: number, text: string, column: number): RawRecord {
  if (text.length > DEPTH_SCAN_MIN_LENGTH && textExceedsDepth(text, MAX_LINE_DEPTH)) {
    return { line, error: tooDeep(line, '(row)', MAX_LINE_DEPTH) };
  }
  try {
    return { line, value: JSON.parse(text) };
  } catch {
    const p = locateJsonError(text);
    // a multi-line record (JSON array element): move the position to the line it falls on
    const before = text.slice(0, p.column - 1);
    const nl = before.lastIndexOf('\n');
    if (nl < 0) return { line, error: invalidJson(line, column + p.column - 1, p.detail) };
    const extraLines = before.split('\n').length - 1;
    return { line, error: invalidJson(line + extraLines, before.length - nl, p.detail) };
  }
}
