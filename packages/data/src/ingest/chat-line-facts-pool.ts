import { Worker } from 'node:worker_threads';
import type { ChatLineFacts } from '../stats/chat-line-facts.ts';

/** Lines to read: line j is bytes[starts[j]..ends[j]). */
export interface LineBatch {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

interface Pending {
  resolve: (f: ChatLineFacts) => void;
  reject: (e: Error) => void;
}

/**
 * Worker threads that work out the ChatLineFacts of line batches (the per-byte part of a
 * canonical chat line's statistics), so reading, checksumming and writing on the main thread
 * overlap with it. Batches go round-robin; each answer is matched to its batch by id.
 */
export class ChatLineFactsPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** `wasm`: the workers use the WebAssembly scanner, else its TypeScript reference. */
  constructor(threads: number, wasm: boolean) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./chat-line-facts-worker.mjs', import.meta.url), { workerData: { wasm } });
      w.on('message', (m: { id: number; facts: ChatLineFacts }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.facts);
      });
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => this.failAll(new Error(`a statistics worker thread stopped (exit code ${code})`)));
      this.workers.push(w);
    }
  }

  /** The facts of a batch; its bytes are copied to the worker, so the caller may reuse them. */
  run(batch: LineBatch): Promise<ChatLineFacts> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, ...batch });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
    this.failAll(new Error('the statistics worker threads were closed'));
  }

  private failAll(e: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(e);
  }
}
