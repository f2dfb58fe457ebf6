import { constants, createInflate, type Inflate } from 'node:zlib';

const STREAM = Buffer.from('stream');
/** A zlib stream nested in a zlib stream (/Filter [/FlateDecode /FlateDecode]) is followed this deep. */
const MAX_NESTING = 3;

/**
 * Whether the zlib-compressed streams of a PDF inflate to more than `budget` bytes in all: a
 * "zip bomb" (a few hundred KB inflating to GBs), which pdf.js would inflate whole into memory
 * while reading a page. Each `stream ... endstream` body is inflated here and only counted, a
 * chunk at a time, stopping at the budget; bodies that are not zlib data (images, fonts in other
 * filters, encrypted streams) are skipped, so this bounds Flate bombs in unencrypted PDFs.
 * 'timeout' once `deadline` (a Date.now() time) has passed.
 */
export async function pdfInflatesPast(pdf: Uint8Array, budget: number, deadline = Infinity): Promise<'no' | 'yes' | 'timeout'> {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  let left = budget;
  // where the next LF and CR are, kept as the scan moves on so that it stays linear
  let lf = -1;
  let cr = -1;
  for (let at = buf.indexOf(STREAM); at !== -1; at = buf.indexOf(STREAM, at + STREAM.length)) {
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    // the body starts on the next line, as pdf.js reads it (after CR, LF or CRLF)
    const after = at + STREAM.length;
    if (lf < after) lf = indexOrEnd(buf, 0x0a, after);
    if (cr < after) cr = indexOrEnd(buf, 0x0d, after);
    const eol = Math.min(lf, cr);
    const start = eol + (buf[eol] === 0x0d && buf[eol + 1] === 0x0a ? 2 : 1);
    if (!isZlibHeader(buf, start)) continue;
    if (Date.now() >= deadline) return 'timeout';
    // to the end of the zlib data, not to "endstream", which those bytes may hold
    left -= await inflatedSize(buf.subarray(start), left + 1);
    if (left < 0) return 'yes';
  }
  return 'no';
}

function indexOrEnd(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i === -1 ? buf.length : i;
}

/**
 * The bytes `data` inflates to (every layer's, when the output is zlib data again), counted chunk
 * by chunk without keeping any, and given up past `cap`; a broken tail ends the count.
 */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    let done = false;
    const layers: Inflate[] = [];
    const stop = () => {
      if (done) return;
      done = true;
      for (const l of layers) l.destroy();
      resolve(total);
    };
    const layer = (depth: number): Inflate => {
      const z = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
      layers.push(z);
      let next: Inflate | null | undefined; // undecided until the first output
      z.on('data', (chunk: Buffer) => {
        if (done) return;
        total += chunk.length;
        if (total > cap) return stop();
        if (next === undefined) next = depth < MAX_NESTING && isZlibHeader(chunk, 0) ? layer(depth + 1) : null;
        if (next && !next.write(chunk)) {
          z.pause();
          next.once('drain', () => z.resume());
        }
      });
      const ended = () => (next ? next.end() : stop());
      z.on('end', ended);
      z.on('error', ended);
      return z;
    };
    layer(1).end(data);
  });
}

/** RFC 1950: deflate (CM 8), window <= 32K, and the header checksum. */
function isZlibHeader(b: Uint8Array, i: number): boolean {
  const cmf = b[i];
  const flg = b[i + 1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}
