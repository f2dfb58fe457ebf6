/**
 * Worker thread of ChatLineFactsPool: reads batches of lines with CanonicalChatLine and sends
 * back their ChatLineFacts, in the order the batches came.
 */
import { parentPort } from 'node:worker_threads';
import { CanonicalChatLine } from '../formats/canonical-chat-line.ts';
import { chatLineFacts } from '../stats/chat-line-facts.ts';
import type { LineBatch } from './chat-line-facts-pool.ts';

const c = new CanonicalChatLine();
parentPort!.on('message', (b: LineBatch & { id: number }) => {
  const lines = Array.from(b.starts, (s, j) => b.bytes.subarray(s, b.ends[j]));
  const f = chatLineFacts(c, lines);
  parentPort!.postMessage({ id: b.id, facts: f }, [f.ok.buffer, f.exactKey.buffer, f.normalizedKey.buffer, f.chinese.buffer, f.other.buffer, f.englishWords.buffer, f.roleStart.buffer, f.roles.buffer] as ArrayBuffer[]);
});
