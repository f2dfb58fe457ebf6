import type { LineItem, RawLine } from '../containers/read-lines.ts';
import type { ChatLineFacts } from '../stats/chat-line-facts.ts';
import { ChatLineFactsPool } from './chat-line-facts-pool.ts';
import { lineFactsReader } from './line-facts-reader.ts';

export interface ChatLineBatch {
  items: (LineItem | RawLine)[];
  /** Facts of items[j] (its `ok` is 0 where items[j] is no canonical chat line). */
  facts: ChatLineFacts;
}

/** Batches in flight per worker thread: enough to keep each busy while the main thread works. */
const DEPTH_PER_THREAD = 2;
const NO_BYTES = new Uint8Array(0);

/**
 * The batches of readRawLines with the facts of their canonical chat lines, in order. With
 * `threads` > 0 the facts are worked out by that many worker threads while the next batches
 * are read; each batch's lines are then copied out of the reader's buffer (which it reuses).
 * `wasm`: the facts from the WebAssembly scanner, else from its TypeScript reference.
 */
export async function* withChatLineFacts(source: AsyncIterable<(LineItem | RawLine)[]>, threads: number, wasm: boolean): AsyncGenerator<ChatLineBatch> {
  if (threads <= 0) {
    const facts = lineFactsReader(wasm);
    for await (const items of source) yield { items, facts: facts(items.map((l) => l.bytes ?? NO_BYTES)) };
    return;
  }
  const pool = new ChatLineFactsPool(threads, wasm);
  const queue: { items: (LineItem | RawLine)[]; facts: Promise<ChatLineFacts> }[] = [];
  try {
    for await (const raw of source) {
      const { items, bytes, starts, ends } = copyLines(raw);
      const facts = pool.run({ bytes, starts, ends });
      facts.catch(() => undefined); // awaited in turn below; a batch left behind must not go unhandled
      queue.push({ items, facts });
      if (queue.length >= threads * DEPTH_PER_THREAD) {
        const q = queue.shift()!;
        yield { items: q.items, facts: await q.facts };
      }
    }
    for (let q = queue.shift(); q; q = queue.shift()) yield { items: q.items, facts: await q.facts };
  } finally {
    await pool.close();
  }
}

/** The batch with its raw lines moved into one buffer of their own, and where each line is. */
function copyLines(raw: (LineItem | RawLine)[]): { items: (LineItem | RawLine)[]; bytes: Uint8Array; starts: Int32Array; ends: Int32Array } {
  let total = 0;
  for (const l of raw) total += l.bytes?.length ?? 0;
  const bytes = new Uint8Array(total); // an ArrayBuffer of its own: a clone of it copies no more
  const buffer = Buffer.from(bytes.buffer);
  const starts = new Int32Array(raw.length);
  const ends = new Int32Array(raw.length);
  const items: (LineItem | RawLine)[] = new Array(raw.length);
  let at = 0;
  for (let j = 0; j < raw.length; j++) {
    const l = raw[j]!;
    starts[j] = at;
    if (l.bytes) {
      bytes.set(l.bytes, at);
      items[j] = { line: l.line, bytes: buffer.subarray(at, at + l.bytes.length) };
      at += l.bytes.length;
    } else items[j] = l;
    ends[j] = at;
  }
  return { items, bytes, starts, ends };
}
