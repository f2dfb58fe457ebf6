import { isWhetError, type EvaluationJudge, type JudgeResult } from '@whetstone/core';
import type { ChatFn } from '@whetstone/data';
import { meanLengthChars, type JudgeLanguage, type JudgeMessage } from '@whetstone/eval';
import type { TestRow } from '../load-test-rows.ts';
import { mapBounded } from '../map-bounded.ts';

/** A column as the judge sees it: its label and its answers (null where it has none). */
export interface JudgedColumn {
  label: string;
  predictions: (string | null)[] | null;
}

/** What a judge run needs: the judge, the rows with the columns' answers, and how to reach it. */
export interface JudgeRun {
  judge: EvaluationJudge;
  language: JudgeLanguage;
  rows: TestRow[];
  columns: JudgedColumn[];
  baseline: number;
  chat: ChatFn;
  onProgress?: (done: number, total: number) => void;
  /** Cancels the run: no more requests are sent. */
  signal?: AbortSignal;
}

/** One judge request's outcome: the judgment as written, or the error that kept it from coming. */
export type Call = { judgment: string; error: null } | { judgment: null; error: { code: string; message: string } };

/** A request to make, with where its answer goes. */
export interface JudgeTask {
  messages: JudgeMessage[];
}

export type RunStatus = Pick<JudgeResult, 'error'> & { status: 'succeeded' | 'failed' };

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Mean answer length in characters, to 2 decimals. */
export const lengthOf = (answers: (string | null)[] | null) => Math.round(meanLengthChars(answers ?? []) * 100) / 100;

/**
 * Every task's request to the judge at temperature 0, `concurrency` at a time, results in task
 * order. A failed request is kept as its error; scheduling stops once `concurrency` requests
 * failed before any answered (a judge that is down), the rest marked as not sent.
 */
export async function callJudge(tasks: JudgeTask[], run: JudgeRun): Promise<Call[]> {
  let ok = 0;
  let failed = 0;
  const limit = run.judge.concurrency;
  run.onProgress?.(0, tasks.length);
  const ask = async (t: JudgeTask): Promise<Call> => {
    try {
      const reply = await run.chat(t.messages, { maxTokens: run.judge.max_tokens, temperature: 0 });
      return { judgment: reply.content ?? '', error: null }; // an endpoint may send null content
    } catch (e) {
      return { judgment: null, error: isWhetError(e) ? { code: e.code, message: e.message } : { code: 'ENDPOINT_FAILED', message: (e as Error)?.message ?? String(e) } };
    }
  };
  const settled = await mapBounded(tasks, limit, ask, {
    stop: () => run.signal?.aborted === true || (ok === 0 && failed >= limit),
    onSettled: (_, r) => {
      if ('value' in r && r.value.error === null) ok++;
      else failed++;
      run.onProgress?.(ok + failed, tasks.length);
    },
  });
  return settled.map((r) => ('value' in r ? r.value : { judgment: null, error: { code: 'ENDPOINT_FAILED', message: `not sent: the first ${limit} judge requests failed` } }));
}

/** The run fails when there was nothing to judge or no request succeeded; else it succeeded, whatever the verdicts. */
export function runStatus(calls: Call[]): RunStatus {
  if (calls.length === 0) return { status: 'failed', error: { code: 'INVALID_REQUEST', message: 'nothing to judge: no column produced answers', hint: "See the columns' errors." } };
  const failures = calls.filter((c) => c.error !== null);
  if (failures.length < calls.length) return { status: 'succeeded', error: null };
  const first = failures[0].error!;
  return { status: 'failed', error: { code: first.code, message: `every judge request failed; first: ${first.message}`, hint: 'Check that the judge model, deployment or connection answers (try it in the playground).' } };
}
