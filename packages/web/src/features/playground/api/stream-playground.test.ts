import type { PlaygroundStreamEvent } from '@whetstone/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome, testApp } from '../../../../../../test-support/server.ts';
import { streamPlayground } from './stream-playground.ts';

// The real app, driven through app.request(); no model is registered, so every model is unknown.
describe('streamPlayground', () => {
  const { home, cleanup } = tempHome();
  const { app } = testApp(home);
  const fetchApp = (input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(app.request(String(input), init));
  afterAll(cleanup);

  it('rejects with the server error (code and hint) when a chat is refused before it streams', async () => {
    const events: PlaygroundStreamEvent[] = [];
    const run = streamPlayground({ kind: 'chat', body: { model: 'nope', messages: [{ role: 'user', content: 'hi' }] } }, { signal: new AbortController().signal, onEvent: (e) => events.push(e), fetch: fetchApp });
    await expect(run).rejects.toMatchObject({ name: 'ApiError', status: 404, code: 'MODEL_NOT_FOUND', hint: expect.stringContaining('/v1/models') });
    expect(events).toEqual([]);
  });

  it('hands over each model error of a compare as its own event, then end', async () => {
    const events: PlaygroundStreamEvent[] = [];
    await streamPlayground({ kind: 'compare', body: { models: ['nope-a', 'nope-b'], messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 } }, { signal: new AbortController().signal, onEvent: (e) => events.push(e), fetch: fetchApp });
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.map((e) => e.index).sort()).toEqual([0, 1]);
    expect(errors.map((e) => e.error?.code)).toEqual(['MODEL_NOT_FOUND', 'MODEL_NOT_FOUND']);
    expect(events.at(-1)).toEqual({ type: 'end' });
  });

  it('a bad field is a 400 naming it', async () => {
    const run = streamPlayground({ kind: 'chat', body: { model: 'nope', messages: [{ role: 'user', content: 'hi' }], temperature: 5 } }, { signal: new AbortController().signal, onEvent: () => undefined, fetch: fetchApp });
    await expect(run).rejects.toMatchObject({ status: 400, field: expect.stringContaining('temperature') });
  });
});
