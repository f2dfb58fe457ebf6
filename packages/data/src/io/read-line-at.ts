import type { FileHandle } from 'node:fs/promises';

/** Reads the bytes [start, start + length) of an open file as UTF-8. */
export async function readLineAt(fh: FileHandle, start: number, length: number): Promise<string> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, start + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.toString('utf8', 0, done);
}
