import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { WhetError } from '@whetstone/core';
import type { ContainerName } from '../types.ts';

export interface SniffResult {
  container: ContainerName;
  /** Markdown splits into documents at headings rather than blank lines. */
  markdown: boolean;
}

const HEAD_BYTES = 64 * 1024;

/** Signatures of files that cannot be a dataset, with what to do instead. */
const BINARY_SIGNATURES: { magic: number[]; what: string; hint: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx or .docx file is one)', hint: 'Unzip it, or export the sheet as CSV, and upload the data file.' },
  { magic: [0x1f, 0x8b], what: 'a gzip archive', hint: 'Decompress it (gunzip) and upload the JSONL/CSV inside.' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd archive', hint: 'Decompress it (zstd -d) and upload the file inside.' },
  { magic: [0x42, 0x5a, 0x68], what: 'a bzip2 archive', hint: 'Decompress it (bunzip2) and upload the file inside.' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a], what: 'an xz archive', hint: 'Decompress it (xz -d) and upload the file inside.' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7z archive', hint: 'Extract it and upload the file inside.' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', hint: 'Extract the text (or generate QA pairs from it) and upload JSONL or .txt.' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', hint: 'Upload a text dataset: JSONL, JSON, CSV, Parquet, .txt or .md.' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: 'Upload a text dataset: JSONL, JSON, CSV, Parquet, .txt or .md.' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database', hint: 'Export the table as CSV or JSONL.' },
  { magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow/Feather file', hint: 'Convert it to Parquet or JSONL (pyarrow can write both).' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable', hint: 'Upload a text dataset: JSONL, JSON, CSV, Parquet, .txt or .md.' },
];

/**
 * Decides how the file is packed from its first bytes (and its name, when given), and refuses
 * at once what cannot be a dataset: an empty file, a binary file, UTF-16 text.
 */
export async function sniffFile(path: string, filename?: string): Promise<SniffResult> {
  const fh = await open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (size === 0) throw new WhetError('DATASET_EMPTY', 'The file is empty (0 bytes).');
  const ext = extname(filename ?? path).toLowerCase();

  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return { container: 'parquet', markdown: false };
  if (ext === '.parquet') {
    throw new WhetError('DATASET_FORMAT_UNKNOWN', 'The file is named .parquet but does not start with the Parquet signature "PAR1".', {
      hint: 'Upload the real Parquet file, or rename the file to match what it holds (.jsonl, .csv, ...).',
    });
  }
  for (const sig of BINARY_SIGNATURES) {
    if (startsWith(head, sig.magic)) throw binaryFile(`The file is ${sig.what}, not a dataset.`, sig.hint);
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw binaryFile('The file is UTF-16 text; datasets must be UTF-8.', 'Save it as UTF-8 (most editors offer it under "Save as / Encoding"), then upload again.');
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw binaryFile(`The file is binary (a NUL byte at offset ${nul}), not UTF-8 text.`, 'Upload a text dataset: JSONL, JSON, CSV, Parquet, .txt or .md.');
  }

  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const firstChar = text.trimStart()[0];
  if (ext === '.csv' || ext === '.tsv') return { container: 'csv', markdown: false };
  if (ext === '.md' || ext === '.markdown') return { container: 'text', markdown: true };
  if (ext === '.txt') return { container: 'text', markdown: false };
  if (firstChar === undefined) throw new WhetError('DATASET_EMPTY', `The file holds only whitespace (${size} bytes).`);
  if (firstChar === '[') return { container: 'json', markdown: false };
  if (firstChar === '{') {
    const firstLine = text.trimStart().split('\n', 1)[0]!.trim();
    if (firstLine === '{') {
      throw new WhetError('DATASET_FORMAT_UNKNOWN', 'The file is one JSON object spread over many lines, not a list of rows.', {
        hint: 'Put the rows in a JSON array ([{...}, {...}]) or write one JSON object per line (JSONL).',
      });
    }
    return { container: 'jsonl', markdown: false };
  }
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return { container: 'jsonl', markdown: false };
  return { container: looksLikeCsvHeader(text.split('\n', 1)[0]!) ? 'csv' : 'text', markdown: false };
}

function looksLikeCsvHeader(line: string): boolean {
  const cells = line.replace(/\r$/, '').split(line.includes(',') ? ',' : '\t');
  return cells.length >= 2 && cells.length <= 64 && cells.every((c) => /^\s*"?[\p{L}\p{N}_.-]{1,64}"?\s*$/u.test(c));
}

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

function binaryFile(message: string, hint: string): WhetError {
  return new WhetError('DATASET_FORMAT_UNKNOWN', message, { hint });
}
