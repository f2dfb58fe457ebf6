import { describe, expect, it } from 'vitest';
import { forceGc } from '../../../../test-support/force-gc.ts';
import { deadlineSignal } from './deadline-signal.ts';

const until = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('deadlineSignal', () => {
  it('times out with a TimeoutError even after garbage collections while it waits', async () => {
    const caller = new AbortController();
    const t0 = performance.now();
    const reason = until(deadlineSignal(200, caller.signal).signal); // nothing else holds the deadline
    forceGc();
    await new Promise((r) => setTimeout(r, 50));
    forceGc();
    expect(await reason).toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it("aborts with the caller's reason when the caller aborts first, and says it did not time out", async () => {
    const caller = new AbortController();
    const deadline = deadlineSignal(60_000, caller.signal);
    caller.abort(new Error('cancelled'));
    expect(deadline.signal.reason).toEqual(new Error('cancelled'));
    expect(deadline.timedOut()).toBe(false);
    deadline.clear();
  });

  it('is aborted at once for a caller already aborted, and clear() stops the timer', async () => {
    expect(deadlineSignal(60_000, AbortSignal.abort('gone')).signal.reason).toBe('gone');
    const deadline = deadlineSignal(30);
    deadline.clear();
    await new Promise((r) => setTimeout(r, 80));
    expect(deadline.signal.aborted).toBe(false);
  });
});
