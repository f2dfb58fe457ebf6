import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { WhetError, isWhetError } from '@whetstone/core';
import type { RawRecord } from '../types.ts';
import { guardedCompressors } from './guarded-compressors.ts';
import { MAX_VALUE_DEPTH } from './json-depth.ts';

export interface ReadParquetOptions {
  /** Cap on the data the whole file may inflate to. */
  maxDecompressedBytes: number;
  /** Cap on one row group, which is read into memory at once. */
  maxRowGroupBytes: number;
}

/**
 * Parquet, one row group at a time (a row group is Parquet's unit of reading). A record's
 * `line` is its 1-based row number. Sizes the metadata states are checked before anything is
 * read, and the decompressors are guarded in case the metadata lies.
 */
export async function* readParquet(path: string, opts: ReadParquetOptions): AsyncGenerator<RawRecord[]> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new WhetError('DATASET_FORMAT_UNKNOWN', `The file starts like Parquet but its metadata cannot be read: ${(e as Error).message}.`, {
      hint: 'Re-export the Parquet file (e.g. with pyarrow or pandas), or upload JSONL.',
      cause: e,
    });
  }
  let stated = 0;
  for (const rg of metadata.row_groups) {
    const size = Number(rg.total_byte_size);
    stated += size;
    if (size > opts.maxRowGroupBytes) {
      throw new WhetError('PAYLOAD_TOO_LARGE', `A row group of the Parquet file holds ${mb(size)} of data, over the ${mb(opts.maxRowGroupBytes)} read at once.`, {
        hint: 'Rewrite the file with smaller row groups (e.g. pyarrow row_group_size=10000), or upload JSONL.',
      });
    }
  }
  if (stated > opts.maxDecompressedBytes) {
    throw new WhetError('PAYLOAD_TOO_LARGE', `The Parquet file holds ${mb(stated)} of data once decompressed, over the ${mb(opts.maxDecompressedBytes)} limit.`, {
      hint: 'Split the dataset into several files, or raise the decompressed-size limit on the server.',
    });
  }
  const { compressors } = guardedCompressors(opts.maxDecompressedBytes, opts.maxRowGroupBytes);
  let rowStart = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd: rowStart + n, compressors });
    } catch (e) {
      if (isWhetError(e)) throw e;
      throw new WhetError('DATASET_FORMAT_UNKNOWN', `Rows ${rowStart + 1}-${rowStart + n} of the Parquet file cannot be read: ${(e as Error).message}.`, {
        hint: 'Re-export the Parquet file (e.g. with pyarrow or pandas), or upload JSONL.',
        cause: e,
      });
    }
    const out: RawRecord[] = rows.map((v, i) => ({ line: rowStart + i + 1, value: plain(v, MAX_VALUE_DEPTH) }));
    rowStart += n;
    yield out;
  }
}

/** Parquet values as JSON would hold them: bigint to number, dates to ISO strings. */
function plain(v: unknown, depth: number): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return v;
  if (depth <= 0) return v;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x, depth - 1);
  return out;
}

function mb(n: number): string {
  return `${(n / (1 << 20)).toFixed(1)} MB`;
}
