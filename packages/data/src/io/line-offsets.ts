import { open } from 'node:fs/promises';

/** Where each non-blank line of a file starts and how long it is, in bytes (no "\n"). */
export interface LineOffsets {
  starts: Float64Array;
  lengths: Uint32Array;
  count: number;
}

/** Scans a JSONL file once for its line positions: 12 bytes per line, never the lines. */
export async function lineOffsets(path: string): Promise<LineOffsets> {
  let starts = new Float64Array(1024);
  let lengths = new Uint32Array(1024);
  let count = 0;
  const push = (start: number, end: number) => {
    if (end > start) {
      if (count === starts.length) {
        const s = new Float64Array(count * 2);
        s.set(starts);
        starts = s;
        const l = new Uint32Array(count * 2);
        l.set(lengths);
        lengths = l;
      }
      starts[count] = start;
      lengths[count] = end - start;
      count++;
    }
  };
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    let lineStart = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      let i = buf.indexOf(10, 0);
      while (i >= 0 && i < bytesRead) {
        const end = pos + i;
        const cr = i > 0 && buf[i - 1] === 13;
        push(lineStart, cr ? end - 1 : end);
        lineStart = end + 1;
        i = buf.indexOf(10, i + 1);
      }
      pos += bytesRead;
    }
    push(lineStart, pos);
  } finally {
    await fh.close();
  }
  return { starts, lengths, count };
}
