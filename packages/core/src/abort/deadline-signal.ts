export interface Deadline {
  /** Aborts when the caller's signal does, or with a TimeoutError once the time is up. */
  signal: AbortSignal;
  /** Whether it was the time that ran out (not the caller's signal). */
  timedOut(): boolean;
  /** Drop the timer and the listener on the caller's signal: call it once the work has ended. */
  clear(): void;
}

/**
 * A signal that aborts when `signal` does or after `ms` milliseconds, whichever comes first.
 *
 * Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: there (Node 20) nothing holds the
 * timeout signal strongly, a garbage collection before it fires takes it, and the combined signal
 * then never times out. A fetch to an endpoint that never answered waited undici's own 300 s
 * instead of the evaluation column's 1 s. Here the timer holds the controller until it fires or
 * `clear()` runs.
 */
export function deadlineSignal(ms: number, signal?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`The operation was aborted due to timeout (${ms} ms)`, 'TimeoutError'));
  }, ms);
  const onAbort = () => {
    clearTimeout(timer);
    controller.abort(signal!.reason);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
