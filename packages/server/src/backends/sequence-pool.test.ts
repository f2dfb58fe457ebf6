import { describe, expect, it } from 'vitest';
import { SequencePool } from './sequence-pool.ts';

// Plain objects with the one field the pool reads; llamacpp.e2e.test.ts runs it on real sequences.
const seq = (name: string, contextTokens: number[]) => ({ name, contextTokens });
const never = new AbortController().signal;

describe('SequencePool', () => {
  it('lends the idle sequence whose KV cache shares the longest prefix with the prompt', async () => {
    const pool = new SequencePool([seq('empty', []), seq('chat-a', [1, 2, 3, 4]), seq('chat-b', [1, 2, 9])]);
    expect((await pool.acquire([1, 2, 3, 4, 5, 6], never)).name).toBe('chat-a');
    expect((await pool.acquire([1, 2, 9, 9], never)).name).toBe('chat-b');
    expect((await pool.acquire([1, 2, 3], never)).name).toBe('empty');
    expect(pool.available).toBe(0);
  });

  it('makes borrowers wait in arrival order, and an aborted wait leaves the line', async () => {
    const pool = new SequencePool([seq('only', [])]);
    const first = await pool.acquire([], never);
    const gaveUp = new AbortController();
    const order: string[] = [];
    const leaving = pool.acquire([], gaveUp.signal).catch((e: Error) => order.push(`left: ${e.message}`));
    const second = pool.acquire([], never).then((s) => (order.push('second'), s));
    gaveUp.abort(new Error('client gone'));
    await leaving;
    pool.release(first);
    pool.release(await second);
    expect(order).toEqual(['left: client gone', 'second']);
    expect(pool.available).toBe(1);
    await expect(pool.acquire([], AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
  });
});
