import type { PlaygroundStreamEvent } from '@whetstone/core';
import { ApiError, storedError } from '../../../lib/api-error.ts';

export type ColumnStatus = 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';

/** One model's answer to one prompt, as it streams in. */
export interface Column {
  model: string;
  status: ColumnStatus;
  text: string;
  /** How many `delta` events arrived: the answer grew this many times. */
  deltas: number;
  /** Time to first token, measured in the browser from sending the prompt. */
  firstTokenMs: number | null;
  /** Total time: the server's measure when the answer finished, else the browser's. */
  totalMs: number | null;
  tokensPerSecond: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  finishReason: string | null;
  error: ApiError | null;
}

/** One prompt and the answers of the models it was sent to (one in chat, two in compare). */
export interface Turn {
  id: number;
  mode: 'chat' | 'compare';
  prompt: string;
  columns: Column[];
}

export type SessionAction =
  | { type: 'add'; turn: Turn }
  | { type: 'event'; turnId: number; event: PlaygroundStreamEvent; elapsedMs: number }
  /** The request failed as a whole (refused before streaming, connection lost): every open column shows it. */
  | { type: 'fail'; turnId: number; error: ApiError; elapsedMs: number }
  /** Stopped by the person: open columns keep what they had. */
  | { type: 'stop'; turnId: number; elapsedMs: number }
  | { type: 'clear' };

export function newTurn(id: number, mode: Turn['mode'], prompt: string, models: string[]): Turn {
  return {
    id,
    mode,
    prompt,
    columns: models.map((model) => ({
      model,
      status: 'waiting',
      text: '',
      deltas: 0,
      firstTokenMs: null,
      totalMs: null,
      tokensPerSecond: null,
      promptTokens: null,
      completionTokens: null,
      finishReason: null,
      error: null,
    })),
  };
}

export const isOpen = (c: Column) => c.status === 'waiting' || c.status === 'streaming';

function applyEvent(c: Column, e: PlaygroundStreamEvent, elapsedMs: number): Column {
  switch (e.type) {
    case 'start':
      return { ...c, model: e.model, status: 'streaming', promptTokens: e.prompt_tokens };
    case 'delta':
      return { ...c, status: 'streaming', text: c.text + e.text, deltas: c.deltas + 1, firstTokenMs: c.firstTokenMs ?? elapsedMs };
    case 'done':
    case 'error': {
      const ended: Column = {
        ...c,
        model: e.model,
        text: e.text ?? c.text,
        totalMs: e.latency_ms,
        tokensPerSecond: e.tokens_per_second,
        completionTokens: e.usage?.completion_tokens ?? null,
        promptTokens: e.usage?.prompt_tokens ?? c.promptTokens,
        finishReason: e.finish_reason,
      };
      if (e.type === 'done') return { ...ended, status: 'done' };
      const body = e.error;
      const error = body
        ? storedError(body)
        : new ApiError(0, 'INTERNAL', '');
      return { ...ended, status: 'error', error };
    }
    case 'end':
      return c;
  }
}

function updateTurn(turns: Turn[], id: number, f: (t: Turn) => Turn): Turn[] {
  return turns.map((t) => (t.id === id ? f(t) : t));
}

/** The playground's conversation, changed by each streamed event (pure, so it is tested alone). */
export function sessionReducer(turns: Turn[], action: SessionAction): Turn[] {
  switch (action.type) {
    case 'add':
      return [...turns, action.turn];
    case 'clear':
      return [];
    case 'event': {
      const e = action.event;
      if (e.type === 'end') {
        // Every model has answered or failed by now; one that did neither lost its answer.
        return updateTurn(turns, action.turnId, (t) => ({
          ...t,
          columns: t.columns.map((c) => (isOpen(c) ? { ...c, status: 'error', error: new ApiError(0, 'BAD_RESPONSE', 'the stream ended without this answer'), totalMs: action.elapsedMs } : c)),
        }));
      }
      return updateTurn(turns, action.turnId, (t) => ({
        ...t,
        columns: t.columns.map((c, i) => (i === e.index ? applyEvent(c, e, action.elapsedMs) : c)),
      }));
    }
    case 'fail':
      return updateTurn(turns, action.turnId, (t) => ({
        ...t,
        columns: t.columns.map((c) => (isOpen(c) ? { ...c, status: 'error', error: action.error, totalMs: action.elapsedMs } : c)),
      }));
    case 'stop':
      return updateTurn(turns, action.turnId, (t) => ({
        ...t,
        columns: t.columns.map((c) => (isOpen(c) ? { ...c, status: 'stopped', totalMs: action.elapsedMs } : c)),
      }));
  }
}

/**
 * The messages a chat prompt sends: the system prompt, the earlier chat turns (each prompt with
 * the answer the model gave, as far as it got), then the new prompt. Compare prompts stand alone.
 */
export function chatMessages(system: string, turns: Turn[], prompt: string): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  const out: { role: 'system' | 'user' | 'assistant'; content: string }[] = [];
  if (system.trim()) out.push({ role: 'system', content: system });
  for (const t of turns) {
    if (t.mode !== 'chat') continue;
    const answer = t.columns[0];
    if (!answer || answer.status === 'error' || !answer.text) continue;
    out.push({ role: 'user', content: t.prompt }, { role: 'assistant', content: answer.text });
  }
  out.push({ role: 'user', content: prompt });
  return out;
}
