/** What the pool needs of a llama.cpp context sequence: the tokens its KV cache holds. */
export interface PooledSequence {
  readonly contextTokens: readonly unknown[];
}

/**
 * A fixed set of context sequences lent one request at a time. A returned sequence keeps its
 * KV cache: the next borrower gets the idle sequence sharing the longest prefix with its
 * prompt, and node-llama-cpp evaluates only the tokens after that prefix (a chat's earlier
 * turns, a shared system prompt). Borrowers beyond the pool's size wait in arrival order.
 */
export class SequencePool<S extends PooledSequence> {
  private idle: S[];
  private waiters: Array<{ tokens: readonly unknown[]; give: (s: S) => void }> = [];

  constructor(sequences: S[]) {
    this.idle = [...sequences];
  }

  get available() {
    return this.idle.length;
  }

  acquire(tokens: readonly unknown[], signal: AbortSignal): Promise<S> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.idle.length) return Promise.resolve(this.take(tokens));
    return new Promise<S>((resolve, reject) => {
      const waiter = {
        tokens,
        give: (s: S) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Give a sequence back (or its replacement, when the old one was disposed). */
  release(sequence: S) {
    const waiter = this.waiters.shift();
    if (waiter) waiter.give(sequence);
    else this.idle.push(sequence);
  }

  private take(tokens: readonly unknown[]): S {
    let best = 0;
    let bestShared = -1;
    for (let i = 0; i < this.idle.length; i++) {
      const shared = sharedPrefix(this.idle[i]!.contextTokens, tokens);
      if (shared > bestShared) [best, bestShared] = [i, shared];
    }
    return this.idle.splice(best, 1)[0]!;
  }
}

function sharedPrefix(a: readonly unknown[], b: readonly unknown[]) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
