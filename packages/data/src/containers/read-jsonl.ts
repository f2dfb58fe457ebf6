import type { RawRecord } from '../types.ts';
import { invalidJson, tooDeep } from '../errors/syntax-errors.ts';
import { readLines, type ReadLinesOptions } from './read-lines.ts';
import { locateJsonError } from './json-error-position.ts';
import { DEPTH_SCAN_MIN_LENGTH, MAX_LINE_DEPTH, textExceedsDepth } from './json-depth.ts';

/** JSONL: one JSON value per line; blank lines are skipped. */
export async function* readJsonl(path: string, opts: ReadLinesOptions): AsyncGenerator<RawRecord[]> {
  for await (const batch of readLines(path, opts)) {
    const out: RawRecord[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      out[i] = item.error ? { line: item.line, error: item.error } : parseJsonText(item.line, item.text, 1);
    }
    yield out;
  }
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
