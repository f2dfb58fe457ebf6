/**
 * Worker thread of ChatLineFactsPool: reads batches of lines (lineFactsReader) and sends
 * back their ChatLineFacts, in the order the batches came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LineBatch } from './chat-line-facts-pool.ts';
import { lineFactsReader } from './line-facts-reader.ts';

const facts = lineFactsReader((workerData as { wasm: boolean }).wasm);
parentPort!.on('message', (b: LineBatch & { id: number }) => {
  const lines = Array.from(b.starts, (s, j) => b.bytes.subarray(s, b.ends[j]));
  const f = facts(lines);
  parentPort!.postMessage({ id: b.id, facts: f }, [f.ok.buffer, f.exactKey.buffer, f.normalizedKey.buffer, f.chinese.buffer, f.other.buffer, f.englishWords.buffer, f.roleStart.buffer, f.roles.buffer] as ArrayBuffer[]);
});
