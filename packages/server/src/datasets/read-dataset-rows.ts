import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface DatasetRowsPage {
  offset: number;
  limit: number;
  /** The rows as stored (the normalized form), each with its 1-based row number. */
  data: { row: number; value: unknown }[];
}

/**
 * One page of a dataset's stored rows (`data.jsonl`, one normalized row a line), read as a
 * stream up to the page's end, so a page near the start of a large file costs little.
 */
export async function readDatasetRows(path: string, offset: number, limit: number): Promise<DatasetRowsPage> {
  const data: DatasetRowsPage['data'] = [];
  if (!existsSync(path)) return { offset, limit, data };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let i = 0;
  try {
    for await (const line of lines) {
      if (!line) continue;
      if (i >= offset) data.push({ row: i + 1, value: JSON.parse(line) as unknown });
      i++;
      if (data.length >= limit) break;
    }
  } finally {
    lines.close();
  }
  return { offset, limit, data };
}
