import { EventEmitter } from 'node:events';
import type { StoredEvent } from '../store/store.ts';

/** In-process fan-out of stored job events to SSE listeners, keyed by job id. */
export class JobBus {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(jobId: string, event: StoredEvent) {
    this.emitter.emit(jobId, event);
  }

  subscribe(jobId: string, fn: (e: StoredEvent) => void): () => void {
    this.emitter.on(jobId, fn);
    return () => this.emitter.off(jobId, fn);
  }
}
