import type { LineError } from '../types.ts';

/** Problems with the bytes of a line, before any field is read. */

export function invalidJson(line: number, column: number, detail: string): LineError {
  return {
    line,
    code: 'invalid_json',
    message: `Not valid JSON at column ${column}: ${detail}. Fix the JSON at that column; in JSONL each line must be one complete JSON object.`,
  };
}

export function invalidUtf8(line: number, byteColumn: number): LineError {
  return {
    line,
    code: 'invalid_utf8',
    message: `Invalid UTF-8 at byte ${byteColumn} of the line. Save the file as UTF-8 (e.g. \`iconv -f GBK -t UTF-8\` for a GBK file).`,
  };
}

export function invalidCsv(line: number, detail: string): LineError {
  return { line, code: 'invalid_csv', message: `${detail}. Each CSV row needs one cell per header column; quote cells that hold commas, quotes or newlines ("" inside quotes).` };
}

export function lineTooLong(line: number, bytes: number, limit: number): LineError {
  return {
    line,
    code: 'line_too_long',
    message: `The line is ${mb(bytes)} long, over the ${mb(limit)} limit for one sample. Split the sample into smaller ones.`,
  };
}

export function tooDeep(line: number, field: string, limit: number): LineError {
  return {
    line,
    field,
    code: 'too_deep',
    message: `"${field}" nests deeper than ${limit} levels. Flatten it; no chat field needs that much nesting.`,
  };
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
