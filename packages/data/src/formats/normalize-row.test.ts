import { describe, expect, it } from 'vitest';
import { ConversationSchema } from '@whetstone/core';
import { normalizeRow } from './normalize-row.ts';
import { detectRowFormat } from './detect-format.ts';
import type { FormatName } from '../types.ts';

const ok = (format: FormatName, rec: Record<string, unknown>, cells = false) => {
  const r = normalizeRow(format, rec, 7, cells);
  expect(r.errors).toBeNull();
  return r.row;
};
const bad = (format: FormatName, rec: Record<string, unknown>) => {
  const r = normalizeRow(format, rec, 7);
  expect(r.row).toBeNull();
  return r.errors!;
};

describe('alpaca', () => {
  it('becomes system + history + user (instruction, input) + assistant', () => {
    const row = ok('alpaca', { instruction: 'Translate', input: 'cat', output: 'chat', system: 'Be exact.', history: [['hi', 'hello']] });
    expect(row).toEqual({
      messages: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'Translate\ncat' },
        { role: 'assistant', content: 'chat' },
      ],
    });
    expect(ConversationSchema.safeParse(row).success).toBe(true);
    expect(ok('alpaca', { instruction: 'Q', input: '', output: 'A' })).toEqual({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] });
  });

  it('names missing, empty and mistyped fields', () => {
    expect(bad('alpaca', { input: 'x', output: 'y' })).toEqual([expect.objectContaining({ line: 7, field: 'instruction', code: 'missing_field' })]);
    expect(bad('alpaca', { instruction: 'x', output: '  ' })).toEqual([expect.objectContaining({ field: 'output', code: 'empty_field' })]);
    expect(bad('alpaca', { instruction: 'x', output: 3 })[0]).toMatchObject({ field: 'output', code: 'wrong_type' });
    expect(bad('alpaca', { instruction: 'x', output: 'y', history: [['only one']] })[0]).toMatchObject({ field: 'history[0]', code: 'wrong_type' });
    expect(bad('alpaca', { instruction: 'x', output: 'y', input: ['a'] })[0]).toMatchObject({ field: 'input', code: 'wrong_type' });
  });
});

describe('sharegpt', () => {
  it('maps human/gpt/system/function_call/observation and keeps tools', () => {
    const row = ok('sharegpt', {
      system: 'You can call tools.',
      tools: '[{"name":"weather"}]',
      conversations: [
        { from: 'human', value: 'Weather in Paris?' },
        { from: 'function_call', value: '{"name": "weather", "arguments": {"city": "Paris"}}' },
        { from: 'observation', value: '{"temp": 20}' },
        { from: 'gpt', value: 'It is 20 °C.' },
      ],
    });
    expect(row).toEqual({
      messages: [
        { role: 'system', content: 'You can call tools.' },
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '{"temp": 20}' },
        { role: 'assistant', content: 'It is 20 °C.' },
      ],
      tools: '[{"name":"weather"}]',
    });
  });

  it('reports unknown roles, order, and a conversation with nothing to learn', () => {
    expect(bad('sharegpt', { conversations: [{ from: 'bot', value: 'x' }] })[0]).toMatchObject({ field: 'conversations[0].from', code: 'unknown_role' });
    expect(bad('sharegpt', { conversations: [{ from: 'human', value: 'a' }, { from: 'human', value: 'b' }, { from: 'gpt', value: 'c' }] })[0]).toMatchObject({
      field: 'conversations[1].from',
      code: 'role_order',
    });
    expect(bad('sharegpt', { conversations: [{ from: 'human', value: 'a' }] })[0]).toMatchObject({ field: 'conversations', code: 'no_assistant_turn' });
    expect(bad('sharegpt', { conversations: [{ from: 'human', value: 'a' }, { from: 'gpt', value: '' }] })[0]).toMatchObject({
      field: 'conversations[1].value',
      code: 'empty_field',
    });
    expect(bad('sharegpt', { conversations: [{ from: 'human', value: 'a' }, { from: 'function_call', value: 'not json' }] })[0]).toMatchObject({
      field: 'conversations[1].value',
      code: 'wrong_type',
    });
    expect(bad('sharegpt', { conversations: 'hello' })[0]).toMatchObject({ field: 'conversations', code: 'wrong_type' });
    expect(bad('sharegpt', { conversations: [] })[0]).toMatchObject({ field: 'conversations', code: 'empty_field' });
  });
});

describe('openai chat', () => {
  it('keeps tool calls, tool_call_id, weight; joins text parts; maps developer to system', () => {
    const call = [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }];
    const row = ok('openai', {
      messages: [
        { role: 'developer', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        { role: 'assistant', content: null, tool_calls: call },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
        { role: 'assistant', content: 'done', weight: 1 },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    expect(row).toEqual({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'ab' },
        { role: 'assistant', content: '', tool_calls: call },
        { role: 'tool', content: '42', tool_call_id: 'c1' },
        { role: 'assistant', content: 'done', weight: 1 },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    expect(ConversationSchema.safeParse(row).success).toBe(true);
  });

  it('reports each problem at its field', () => {
    expect(bad('openai', { messages: [{ role: 'robot', content: 'x' }] })[0]).toMatchObject({ field: 'messages[0].role', code: 'unknown_role' });
    expect(bad('openai', { messages: [{ content: 'x' }] })[0]).toMatchObject({ field: 'messages[0].role', code: 'missing_field' });
    expect(bad('openai', { messages: [{ role: 'user' }] })[0]).toMatchObject({ field: 'messages[0].content', code: 'missing_field' });
    expect(bad('openai', { messages: [{ role: 'user', content: 5 }] })[0]).toMatchObject({ field: 'messages[0].content', code: 'wrong_type' });
    expect(bad('openai', { messages: [{ role: 'assistant', content: 'hi' }] })[0]).toMatchObject({ field: 'messages[0].role', code: 'role_order' });
    expect(bad('openai', { messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 's' }, { role: 'assistant', content: 'b' }] })[0]).toMatchObject({
      field: 'messages[1].role',
      code: 'role_order',
    });
    expect(bad('openai', { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'a' }] })[0]).toMatchObject({ field: 'messages', code: 'no_assistant_turn' });
    expect(bad('openai', { messages: ['hi'] })[0]).toMatchObject({ field: 'messages[0]', code: 'wrong_type' });
    expect(bad('openai', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', weight: 0.5 }] })[0]).toMatchObject({
      field: 'messages[1].weight',
      code: 'invalid_value',
      message: expect.stringMatching(/must be 0 \(do not learn this turn\) or 1/),
    });
    expect(bad('openai', { messages: [{ role: 'user', content: 'a', weight: 1 }, { role: 'assistant', content: 'b' }] })[0]).toMatchObject({
      field: 'messages[0].weight',
      code: 'invalid_value',
    });
    expect(bad('openai', { messages: [{ role: 'user', content: [{ type: 'image_url' }] }] })[0]).toMatchObject({ field: 'messages[0].content[0]', code: 'wrong_type' });
  });

  it('refuses absurdly deep tool arguments instead of crashing on them', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const errs = bad('openai', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', tool_calls: deep }] });
    expect(errs[0]).toMatchObject({ field: 'messages[1].tool_calls', code: 'too_deep' });
  });
});

describe('preference pairs', () => {
  const want = { messages: [{ role: 'user', content: 'Q' }], chosen: { role: 'assistant', content: 'good' }, rejected: { role: 'assistant', content: 'bad' } };

  it('reads every common shape to one form', () => {
    expect(ok('preference', { prompt: 'Q', chosen: 'good', rejected: 'bad' })).toEqual(want);
    expect(ok('preference', { messages: [{ role: 'user', content: 'Q' }], chosen: { role: 'assistant', content: 'good' }, rejected: { role: 'assistant', content: 'bad' } })).toEqual(want);
    expect(ok('preference', { conversations: [{ from: 'human', value: 'Q' }], chosen: { from: 'gpt', value: 'good' }, rejected: { from: 'gpt', value: 'bad' } })).toEqual(want);
    expect(ok('preference', { instruction: 'Q', input: '', chosen: 'good', rejected: 'bad' })).toEqual(want);
    expect(
      ok('preference', {
        chosen: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'good' }],
        rejected: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'bad' }],
      }),
    ).toEqual(want);
    expect(ok('preference', { prompt: [{ role: 'user', content: 'Q' }], chosen: [{ role: 'assistant', content: 'good' }], rejected: [{ role: 'assistant', content: 'bad' }] })).toEqual(want);
    expect(ok('preference', { prompt: 'Q', chosen: 'good', rejected: 'bad', system: 'S' })).toEqual({ ...want, messages: [{ role: 'system', content: 'S' }, ...want.messages] });
  });

  it("reads OpenAI's DPO format, naming its own fields", () => {
    const dpo = { input: { messages: [{ role: 'user', content: 'Q' }] }, preferred_output: [{ role: 'assistant', content: 'good' }], non_preferred_output: [{ role: 'assistant', content: 'bad' }] };
    expect(ok('preference', dpo)).toEqual(want);
    expect(detectRowFormat(dpo)?.format).toBe('preference');
    expect(bad('preference', { ...dpo, input: { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] } })[0]).toMatchObject({ field: 'input.messages[1].role', code: 'role_order' });
    expect(bad('preference', { ...dpo, input: undefined })[0]).toMatchObject({ field: 'input', code: 'missing_field' });
    expect(bad('preference', { ...dpo, preferred_output: 'good' })[0]).toMatchObject({ field: 'preferred_output', code: 'wrong_type' });
    expect(bad('preference', { ...dpo, non_preferred_output: [] })[0]).toMatchObject({ field: 'non_preferred_output', code: 'invalid_value' });
    expect(bad('preference', { ...dpo, preferred_output: [{ role: 'user', content: 'x' }] })[0]).toMatchObject({ field: 'preferred_output[0].role', code: 'role_order' });
  });

  it('reads CSV cells holding JSON', () => {
    expect(ok('preference', { prompt: '[{"role":"user","content":"Q"}]', chosen: 'good', rejected: 'bad' }, true)).toEqual(want);
  });

  it('names what is missing or out of place', () => {
    expect(bad('preference', { prompt: 'Q', chosen: 'good' })[0]).toMatchObject({ field: 'rejected', code: 'missing_field' });
    expect(bad('preference', { chosen: 'good', rejected: 'bad' })[0]).toMatchObject({ field: 'prompt', code: 'missing_field' });
    expect(bad('preference', { prompt: 'Q', chosen: '', rejected: 'bad' })[0]).toMatchObject({ field: 'chosen', code: 'empty_field' });
    expect(bad('preference', { prompt: 'Q', chosen: { role: 'user', content: 'x' }, rejected: 'bad' })[0]).toMatchObject({ field: 'chosen', code: 'role_order' });
    expect(
      bad('preference', { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }], chosen: 'good', rejected: 'bad' })[0],
    ).toMatchObject({ field: 'messages[1].role', code: 'role_order' });
  });
});

describe('raw text', () => {
  it('keeps only the text', () => {
    expect(ok('text', { text: 'Once upon a time', meta: 1 })).toEqual({ text: 'Once upon a time' });
    expect(bad('text', { text: '' })[0]).toMatchObject({ field: 'text', code: 'empty_field' });
    expect(bad('text', { text: ['a'] })[0]).toMatchObject({ field: 'text', code: 'wrong_type' });
  });
});

describe('detectRowFormat', () => {
  it.each([
    [{ instruction: 'a', output: 'b' }, 'alpaca'],
    [{ conversations: [] }, 'sharegpt'],
    [{ messages: [{ from: 'human', value: 'x' }] }, 'sharegpt'],
    [{ messages: [{ role: 'user', content: 'x' }] }, 'openai'],
    [{ prompt: 'a', chosen: 'b', rejected: 'c' }, 'preference'],
    [{ messages: [], chosen: 'b', rejected: 'c' }, 'preference'],
    [{ text: 'x' }, 'text'],
    [{ question: 'x' }, null],
  ])('%j is %s', (rec, format) => {
    expect(detectRowFormat(rec)?.format ?? null).toBe(format);
  });
});
