import { readLines } from '../containers/read-lines.ts';

/** A normalized data.jsonl written by ingestDataset holds rows far below this. */
const MAX_ROW_BYTES = 256 << 20;

/** The non-blank lines of a normalized JSONL file, one at a time, in order. */
export async function* readJsonlLines(path: string): AsyncGenerator<string> {
  for await (const batch of readLines(path, { maxLineBytes: MAX_ROW_BYTES })) {
    for (const item of batch) {
      if (item.error) throw new Error(`${path}:${item.line}: ${item.error.message}`);
      yield item.text;
    }
  }
}
