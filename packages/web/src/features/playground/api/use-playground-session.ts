import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-error.ts';
import { chatMessages, newTurn, sessionReducer } from './playground-session.ts';
import { streamPlayground } from './stream-playground.ts';

export interface SamplingParams {
  temperature: number;
  top_p: number;
  max_tokens: number;
}

export interface SendInput {
  /** One model: a chat that remembers its earlier turns; two: both answer the same prompt. */
  models: [string] | [string, string];
  system: string;
  params: SamplingParams;
  prompt: string;
}

/**
 * The playground's conversation: `send` streams one prompt's answers into a new turn, `stop`
 * aborts the request (the server cancels the generations), `clear` starts over. One request
 * at a time; leaving the page stops it.
 */
export function usePlaygroundSession() {
  const [turns, dispatch] = useReducer(sessionReducer, []);
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const nextId = useRef(1);
  // The earlier turns a chat prompt carries, read when it is sent (not a dependency of send).
  const turnsRef = useRef(turns);
  useEffect(() => {
    turnsRef.current = turns;
  }, [turns]);
  useEffect(() => () => controller.current?.abort(), []);

  const send = useCallback(async ({ models, system, params, prompt }: SendInput) => {
    if (controller.current) return;
    const mode = models.length === 2 ? 'compare' : 'chat';
    const messages = mode === 'chat' ? chatMessages(system, turnsRef.current, prompt) : chatMessages(system, [], prompt);
    const turnId = nextId.current++;
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    dispatch({ type: 'add', turn: newTurn(turnId, mode, prompt, models) });
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      await streamPlayground(
        models.length === 2 ? { kind: 'compare', body: { models, messages, ...params } } : { kind: 'chat', body: { model: models[0], messages, ...params } },
        { signal: abort.signal, onEvent: (event) => dispatch({ type: 'event', turnId, event, elapsedMs: elapsed() }) },
      );
    } catch (e) {
      if (abort.signal.aborted) dispatch({ type: 'stop', turnId, elapsedMs: elapsed() });
      else dispatch({ type: 'fail', turnId, error: e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)), elapsedMs: elapsed() });
    } finally {
      controller.current = null;
      setBusy(false);
    }
  }, []);

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => {
    controller.current?.abort();
    dispatch({ type: 'clear' });
  }, []);

  return { turns, busy, send, stop, clear };
}
