import { WhetError } from '@whetstone/core';

export interface RequestQueueOptions {
  /** Requests that run at once (the backend's parallelism). */
  concurrency: number;
  /** Requests that may wait for a slot; one more is refused with QUEUE_FULL (429). */
  maxQueued: number;
  /** Named in the 429 message. */
  name: string;
}

/**
 * A bounded queue in front of one backend: `acquire` resolves with a release function once a
 * slot is free, throws QUEUE_FULL at once when `maxQueued` requests already wait (with a
 * Retry-After estimate from recent request durations), and gives up its place when the
 * caller's signal aborts.
 */
export class RequestQueue {
  private running = 0;
  private waiting: { grant: () => void; fail: (e: unknown) => void }[] = [];
  /** Average seconds a request held a slot, for Retry-After. */
  private avgSeconds = 2;

  constructor(readonly opts: RequestQueueOptions) {}

  get stats() {
    return { running: this.running, queued: this.waiting.length, concurrency: this.opts.concurrency, max_queued: this.opts.maxQueued };
  }

  /** Seconds a request usually holds a slot (a moving average). */
  get averageSeconds(): number {
    return this.avgSeconds;
  }

  retryAfterSeconds(): number {
    const ahead = this.waiting.length + 1;
    return Math.max(1, Math.ceil((this.avgSeconds * ahead) / this.opts.concurrency));
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.running < this.opts.concurrency && this.waiting.length === 0) return this.grant();
    if (this.waiting.length >= this.opts.maxQueued) {
      const retry = this.retryAfterSeconds();
      throw new WhetError(
        'QUEUE_FULL',
        `${this.opts.name} is busy: ${this.running} request(s) running and ${this.waiting.length} waiting, the most its queue holds`,
        { details: { retry_after_s: retry, running: this.running, queued: this.waiting.length } },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: reject,
      };
      const onAbort = () => {
        this.waiting = this.waiting.filter((w) => w !== entry);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
    return this.grant(true);
  }

  private grant(alreadyCounted = false): () => void {
    if (!alreadyCounted) this.running++;
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.avgSeconds = 0.8 * this.avgSeconds + 0.2 * ((Date.now() - started) / 1000);
      const next = this.waiting.shift();
      if (next) next.grant(); // the slot passes straight on: `running` stays the same
      else this.running--;
    };
  }

  /** Refuse everyone still waiting (the deployment stopped). */
  drain(reason: WhetError) {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.fail(reason);
  }
}
