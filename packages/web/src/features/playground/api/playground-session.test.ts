import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-error.ts';
import { chatMessages, newTurn, sessionReducer, type Turn } from './playground-session.ts';

const answer = { text: null, finish_reason: null, usage: null, latency_ms: 0, tokens_per_second: null, error: null };

describe('sessionReducer', () => {
  it('streams each model into its own column: deltas grow the text, done brings latency and speed', () => {
    let turns: Turn[] = sessionReducer([], { type: 'add', turn: newTurn(1, 'compare', 'hi', ['a', 'b']) });
    const ev = (event: Parameters<typeof sessionReducer>[1] & { type: 'event' }) => (turns = sessionReducer(turns, event));
    ev({ type: 'event', turnId: 1, elapsedMs: 5, event: { type: 'start', index: 0, model: 'a', prompt_tokens: 3 } });
    ev({ type: 'event', turnId: 1, elapsedMs: 40, event: { type: 'delta', index: 0, model: 'a', text: 'Hel' } });
    ev({ type: 'event', turnId: 1, elapsedMs: 60, event: { type: 'delta', index: 0, model: 'a', text: 'lo' } });
    ev({
      type: 'event',
      turnId: 1,
      elapsedMs: 70,
      event: { ...answer, type: 'error', index: 1, model: 'b', latency_ms: 2, error: { code: 'MODEL_NOT_FOUND', message: 'the model "b" does not exist', hint: 'List the models' } },
    });
    const [a, b] = turns[0]!.columns;
    expect(a).toMatchObject({ status: 'streaming', text: 'Hello', deltas: 2, firstTokenMs: 40, promptTokens: 3 });
    expect(b).toMatchObject({ status: 'error', totalMs: 2 });
    expect(b!.error).toMatchObject({ code: 'MODEL_NOT_FOUND', hint: 'List the models' });

    ev({
      type: 'event',
      turnId: 1,
      elapsedMs: 90,
      event: { ...answer, type: 'done', index: 0, model: 'a', text: 'Hello', finish_reason: 'length', latency_ms: 85, tokens_per_second: 23.5, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    });
    expect(turns[0]!.columns[0]).toMatchObject({ status: 'done', totalMs: 85, tokensPerSecond: 23.5, completionTokens: 2, firstTokenMs: 40 });
    ev({ type: 'event', turnId: 1, elapsedMs: 95, event: { type: 'end' } });
    expect(turns[0]!.columns.map((c) => c.status)).toEqual(['done', 'error']);
  });

  it('stop keeps the partial text; a failed request marks only the open columns; end closes a column that never finished', () => {
    let turns = sessionReducer([], { type: 'add', turn: newTurn(1, 'compare', 'hi', ['a', 'b']) });
    turns = sessionReducer(turns, { type: 'event', turnId: 1, elapsedMs: 10, event: { type: 'delta', index: 0, model: 'a', text: 'par' } });
    expect(sessionReducer(turns, { type: 'stop', turnId: 1, elapsedMs: 50 })[0]!.columns.map((c) => [c.status, c.text, c.totalMs])).toEqual([
      ['stopped', 'par', 50],
      ['stopped', '', 50],
    ]);
    const ended = sessionReducer(turns, { type: 'event', turnId: 1, elapsedMs: 50, event: { type: 'end' } });
    expect(ended[0]!.columns.map((c) => c.status)).toEqual(['error', 'error']);
    expect(sessionReducer(turns, { type: 'clear' })).toEqual([]);
  });
});

describe('chatMessages', () => {
  it('sends the system prompt, earlier chat turns with their answers, then the new prompt; compare turns and failures stay out', () => {
    let turns = sessionReducer([], { type: 'add', turn: newTurn(1, 'chat', 'one', ['a']) });
    turns = sessionReducer(turns, { type: 'event', turnId: 1, elapsedMs: 1, event: { type: 'delta', index: 0, model: 'a', text: 'first' } });
    turns = sessionReducer(turns, { type: 'add', turn: newTurn(2, 'compare', 'cmp', ['a', 'b']) });
    turns = sessionReducer(turns, { type: 'add', turn: newTurn(3, 'chat', 'two', ['a']) });
    turns = sessionReducer(turns, { type: 'fail', turnId: 3, elapsedMs: 1, error: new ApiError(0, 'NETWORK', 'gone') });
    expect(chatMessages('Be brief.', turns, 'three')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'three' },
    ]);
    expect(chatMessages('  ', [], 'x')).toEqual([{ role: 'user', content: 'x' }]);
  });
});
