import { describe, expect, it } from 'vitest';
import { EvaluationJudgeSchema, WhetError } from '@whetstone/core';
import type { ChatFn } from '@whetstone/data';
import { judgePairs, runJudge } from './run-judge.ts';

// ChatFns (the real interface every judge is called through) that answer by the answers they
// were shown; the end-to-end test (judge.e2e.test.ts) covers real judges.
const rows = ['q0', 'q1', 'q2'].map((q, index) => ({ index, messages: [{ role: 'user', content: q }], reference: 'r' }));
const judge = (over: Record<string, unknown> = {}) => EvaluationJudgeSchema.parse({ model: { kind: 'model', model_id: 'm' }, rubric: { name: 'toy', text: 'Judge.' }, ...over });
/** The answers a pairwise prompt shows, in order: "A|B". */
const pairKey = (messages: { content: string }[]) => [...messages[1]!.content.matchAll(/Start of Assistant [AB]'s Answer\]\n([^\n]*)\n/g)].map((m) => m[1]).join('|');

describe('runJudge', () => {
  it('single: a score per answer; unparseable verdicts and failed requests are kept and counted, never thrown', async () => {
    const chat: ChatFn = async (messages) => {
      const answer = /Answer\]\n([^\n]*)\n/.exec(messages[1]!.content)![1];
      if (answer === 'boom') throw new WhetError('ENDPOINT_FAILED', 'judge down');
      return { content: { good: 'Fine. Rating: [[8]]', ok: 'Rating: [[5]]', meh: 'I cannot decide.' }[answer!] ?? 'Rating: [[1]]', finish_reason: 'stop', usage: null };
    };
    const out = await runJudge({ judge: judge(), language: 'en', rows, baseline: 0, chat, columns: [{ label: 'x', predictions: ['good', 'ok', 'meh'] }, { label: 'y', predictions: ['boom', null, 'good'] }, { label: 'gone', predictions: null }] });
    expect(out.status).toBe('succeeded');
    expect(out.scores![0]).toMatchObject({ label: 'x', mean_score: 6.5, scored: 2, unparseable: 1, failed: 0, mean_length_chars: 3 });
    expect(out.scores![1]).toMatchObject({ label: 'y', mean_score: 8, scored: 1, unparseable: 0, failed: 2 });
    expect(out.scores![2]).toMatchObject({ label: 'gone', mean_score: null, ci95: null, scored: 0, failed: 3, mean_length_chars: 0 });
    expect(out.perSample[2]!.scores![0]).toEqual({ label: 'x', score: null, judgment: 'I cannot decide.', error: null });
    expect(out.perSample[0]!.scores![1]).toEqual({ label: 'y', score: null, judgment: null, error: { code: 'ENDPOINT_FAILED', message: 'judge down' } });
  });

  it('pairwise: both orders asked, the swap undone, MT-Bench\'s tie rule, lengths beside the win rate', async () => {
    const verdicts: Record<string, string> = {
      'long|s': '[[A]]', 's|long': '[[B]]', // consistent: long wins
      'p|q': '[[A]]', 'q|p': '[[A]]', // position bias: inconsistent, a tie
      'u|v': 'no idea', 'v|u': '[[B]]', // unreadable: invalid
    };
    const seen: string[] = [];
    const chat: ChatFn = async (messages) => {
      seen.push(pairKey(messages));
      return { content: verdicts[pairKey(messages)]!, finish_reason: 'stop', usage: null };
    };
    const columns = [{ label: 'base', predictions: ['s', 'q', 'v'] }, { label: 'tuned', predictions: ['long', 'p', 'u'] }];
    const out = await runJudge({ judge: judge({ mode: 'pairwise' }), language: 'en', rows, baseline: 0, chat, columns });
    expect(seen.sort()).toEqual(Object.keys(verdicts).sort()); // every row in both orders
    expect(out.pairs).toEqual([
      { a: 'tuned', b: 'base', wins: 1, losses: 0, ties: 1, invalid: 1, inconsistent: 1, win_rate: 0.75, ci95: expect.any(Array), mean_length_chars: { a: 2, b: 1 } },
    ]);
    const [first, second] = out.perSample[0]!.pairs![0]!.orders;
    expect(first).toEqual({ first: 'tuned', verdict: 'A', judgment: '[[A]]', error: null });
    expect(second).toEqual({ first: 'base', verdict: 'B', judgment: '[[B]]', error: null });
    expect(out.perSample[1]!.pairs![0]).toMatchObject({ outcome: 'tie', inconsistent: true });
    expect(out.perSample[2]!.pairs![0]).toMatchObject({ outcome: 'invalid', inconsistent: false });
  });

  it('compares every column against the baseline unless pairs are given', () => {
    expect(judgePairs(judge({ mode: 'pairwise' }), 3, 1)).toEqual([[0, 1], [2, 1]]);
    expect(judgePairs(judge({ mode: 'pairwise', pairs: [[2, 0]] }), 3, 1)).toEqual([[2, 0]]);
  });

  it('fails with the first error when the judge answers nothing, and stops sending', async () => {
    let calls = 0;
    const chat: ChatFn = async () => {
      calls++;
      throw new WhetError('CONNECTION_NOT_FOUND', 'no connection named "gone"');
    };
    const many = Array.from({ length: 8 }, (_, index) => ({ ...rows[0]!, index }));
    const out = await runJudge({ judge: judge({ concurrency: 2 }), language: 'en', rows: many, baseline: 0, chat, columns: [{ label: 'x', predictions: many.map(() => 'a') }] });
    expect(out).toMatchObject({ status: 'failed', error: { code: 'CONNECTION_NOT_FOUND', message: 'every judge request failed; first: no connection named "gone"' } });
    expect(calls).toBeLessThanOrEqual(3); // the two in flight, and at most one started as the first failed
    expect(out.perSample[7]!.scores![0]!.error).toEqual({ code: 'ENDPOINT_FAILED', message: 'not sent: the first 2 judge requests failed' });
  });
});
