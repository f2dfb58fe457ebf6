import type { RawRecord } from '../types.ts';
import type { SniffResult } from './sniff-file.ts';
import { readJsonl } from './read-jsonl.ts';
import { readJsonArray } from './read-json-array.ts';
import { readCsv } from './read-csv.ts';
import { readParquet } from './read-parquet.ts';
import { readText } from './read-text.ts';

export interface ReadRecordsOptions {
  maxLineBytes: number;
  maxDecompressedBytes: number;
  maxRowGroupBytes: number;
  onChunk?: (chunk: Buffer) => void;
}

/** The records of a file in batches, whatever its container. */
export function readRecords(path: string, sniff: SniffResult, opts: ReadRecordsOptions): AsyncGenerator<RawRecord[]> {
  const lineOpts = { maxLineBytes: opts.maxLineBytes, onChunk: opts.onChunk };
  switch (sniff.container) {
    case 'jsonl':
      return readJsonl(path, lineOpts);
    case 'json':
      return readJsonArray(path, lineOpts);
    case 'csv':
      return readCsv(path, lineOpts);
    case 'text':
      return readText(path, { ...lineOpts, markdown: sniff.markdown });
    case 'parquet':
      return readParquet(path, opts);
  }
}
