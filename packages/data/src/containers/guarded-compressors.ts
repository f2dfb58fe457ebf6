import type { CompressionCodec, Compressors } from 'hyparquet';
import { compressors as allCompressors } from 'hyparquet-compressors';
import { decompress as zstd } from 'fzstd';
import { WhetError } from '@whetstone/core';

/**
 * Parquet decompressors behind a budget, against zip bombs: every page states its size
 * before it is inflated, and inflation stops once the pages together would pass the cap.
 * Each decompressor writes into a buffer of the stated size, so a page cannot grow past it.
 */
export function guardedCompressors(maxTotalBytes: number, maxPageBytes: number): { compressors: Compressors; used: () => number } {
  let used = 0;
  const guard =
    (codec: CompressionCodec, inflate: (input: Uint8Array, outputLength: number) => Uint8Array) =>
    (input: Uint8Array, outputLength: number): Uint8Array => {
      if (outputLength > maxPageBytes) {
        throw new WhetError('PAYLOAD_TOO_LARGE', `A ${codec} page of the Parquet file inflates to ${mb(outputLength)}, over the ${mb(maxPageBytes)} limit for one page.`, {
          hint: 'Rewrite the file with smaller pages and row groups (e.g. pyarrow row_group_size=10000), or upload JSONL.',
        });
      }
      used += outputLength;
      if (used > maxTotalBytes) {
        throw new WhetError('PAYLOAD_TOO_LARGE', `The Parquet file inflates to more than ${mb(maxTotalBytes)} of data, the limit for one dataset.`, {
          hint: 'Split the dataset into several files, or raise the decompressed-size limit on the server.',
        });
      }
      return inflate(input, outputLength);
    };
  const c = allCompressors as Required<Pick<Compressors, 'SNAPPY' | 'GZIP' | 'BROTLI' | 'LZ4' | 'LZ4_RAW'>>;
  return {
    compressors: {
      SNAPPY: guard('SNAPPY', c.SNAPPY),
      GZIP: guard('GZIP', c.GZIP),
      BROTLI: guard('BROTLI', c.BROTLI),
      LZ4: guard('LZ4', c.LZ4),
      LZ4_RAW: guard('LZ4_RAW', c.LZ4_RAW),
      ZSTD: guard('ZSTD', (input, n) => zstd(input, new Uint8Array(n))),
    },
    used: () => used,
  };
}

function mb(n: number): string {
  return `${(n / (1 << 20)).toFixed(n < 10 << 20 ? 1 : 0)} MB`;
}
