import { isWhetError, type EvaluationJudge, type JudgeResult, type SampleJudge } from '@whetstone/core';
import type { ChatFn } from '@whetstone/data';
import {
  bootstrapInterval,
  meanLengthChars,
  pairJudgePrompt,
  pairwiseOutcome,
  parsePairVerdict,
  parseScore,
  singleJudgePrompt,
  winRate,
  type JudgeLanguage,
  type JudgeMessage,
} from '@whetstone/eval';
import type { TestRow } from '../load-test-rows.ts';
import { mapBounded } from '../map-bounded.ts';

/** A column as the judge sees it: its label and its answers (null where it has none). */
export interface JudgedColumn {
  label: string;
  predictions: (string | null)[] | null;
}

export interface JudgeRun {
  judge: EvaluationJudge;
  language: JudgeLanguage;
  rows: TestRow[];
  columns: JudgedColumn[];
  baseline: number;
  chat: ChatFn;
  onProgress?: (done: number, total: number) => void;
}

type Call = { judgment: string; error: null } | { judgment: null; error: { code: string; message: string } };
type JudgeOutcome = Pick<JudgeResult, 'scores' | 'pairs' | 'error'> & { status: 'succeeded' | 'failed'; perSample: SampleJudge[] };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Mean answer length in characters, to 2 decimals. */
const lengthOf = (answers: (string | null)[] | null) => Math.round(meanLengthChars(answers ?? []) * 100) / 100;

/** The column pairs a pairwise judge compares: the request's, else every column against the baseline. */
export function judgePairs(judge: EvaluationJudge, columns: number, baseline: number): [number, number][] {
  if (judge.pairs) return judge.pairs.map(([a, b]) => [a!, b!]);
  return Array.from({ length: columns }, (_, i) => i).filter((i) => i !== baseline).map((i) => [i, baseline]);
}

/**
 * Grade the columns' answers with the judge. single: one request per answer, a 1-10 score read
 * from it. pairwise: for every pair and row, two requests, the answers in both orders (position
 * swap), combined with MT-Bench's rule (agreeing orders name the winner, disagreeing ones tie).
 * Every judgment is kept as written; one that cannot be read counts as unparseable (single) or
 * invalid (pairwise) and never stops the run. The run fails only when no request succeeds.
 */
export async function runJudge(run: JudgeRun): Promise<JudgeOutcome> {
  const { judge, rows, columns } = run;
  const ask = (messages: JudgeMessage[]) => async (): Promise<Call> => {
    try {
      const reply = await run.chat(messages, { maxTokens: judge.max_tokens, temperature: 0, seed: judge.seed });
      return { judgment: reply.content ?? '', error: null }; // an endpoint may send null content
    } catch (e) {
      return { judgment: null, error: isWhetError(e) ? { code: e.code, message: e.message } : { code: 'ENDPOINT_FAILED', message: (e as Error)?.message ?? String(e) } };
    }
  };
  const base = { language: run.language, rubric: judge.rubric };
  const prompt = (k: number) => ({ ...base, prompt: rows[k].messages, reference: rows[k].reference });
  const answer = (c: number, k: number) => columns[c].predictions?.[k] ?? null;

  if (judge.mode === 'single') {
    const tasks: { c: number; k: number; call: () => Promise<Call> }[] = [];
    columns.forEach((_, c) => rows.forEach((__, k) => answer(c, k) !== null && tasks.push({ c, k, call: ask(singleJudgePrompt({ ...prompt(k), answer: answer(c, k)! })) })));
    const calls = await callAll(tasks, run);
    const perSample: SampleJudge[] = rows.map(() => ({ scores: columns.map((col) => ({ label: col.label, score: null, judgment: null, error: null })) }));
    tasks.forEach((t, i) => Object.assign(perSample[t.k].scores![t.c], calls[i], { score: calls[i].judgment === null ? null : parseScore(calls[i].judgment!) }));
    const scores = columns.map((col, c) => {
      const cells = perSample.map((s) => s.scores![c]);
      const values = cells.flatMap((s) => (s.score === null ? [] : [s.score]));
      return {
        label: col.label,
        mean_score: values.length ? mean(values) : null,
        ci95: bootstrapInterval(values, mean, { resamples: judge.bootstrap_resamples, seed: judge.seed }),
        scored: values.length,
        unparseable: cells.filter((s) => s.judgment !== null && s.score === null).length,
        failed: cells.filter((s) => s.judgment === null).length,
        mean_length_chars: lengthOf(col.predictions),
      };
    });
    return { ...finish(calls), scores, pairs: null, perSample };
  }

  const pairs = judgePairs(judge, columns.length, run.baseline);
  const tasks: { p: number; k: number; swapped: boolean; call: () => Promise<Call> }[] = [];
  pairs.forEach(([a, b], p) =>
    rows.forEach((_, k) => {
      if (answer(a, k) === null || answer(b, k) === null) return;
      tasks.push({ p, k, swapped: false, call: ask(pairJudgePrompt({ ...prompt(k), answerA: answer(a, k)!, answerB: answer(b, k)! })) });
      tasks.push({ p, k, swapped: true, call: ask(pairJudgePrompt({ ...prompt(k), answerA: answer(b, k)!, answerB: answer(a, k)! })) });
    }),
  );
  const calls = await callAll(tasks, run);
  const perSample: SampleJudge[] = rows.map(() => ({
    pairs: pairs.map(([a, b]) => ({
      a: columns[a].label,
      b: columns[b].label,
      orders: [
        { first: columns[a].label, verdict: null, judgment: null, error: null },
        { first: columns[b].label, verdict: null, judgment: null, error: null },
      ],
      outcome: 'invalid' as const,
      inconsistent: false,
    })),
  }));
  tasks.forEach((t, i) => {
    const order = perSample[t.k].pairs![t.p].orders[t.swapped ? 1 : 0];
    Object.assign(order, calls[i], { verdict: calls[i].judgment === null ? null : parsePairVerdict(calls[i].judgment!) });
  });
  for (const s of perSample) for (const pair of s.pairs!) Object.assign(pair, pairwiseOutcome(pair.orders[0].verdict, pair.orders[1].verdict));
  const results = pairs.map(([a, b], p) => {
    const cells = perSample.map((s) => s.pairs![p]);
    const rate = winRate(cells.map((x) => x.outcome), { resamples: judge.bootstrap_resamples, seed: judge.seed });
    return {
      a: columns[a].label,
      b: columns[b].label,
      ...rate,
      inconsistent: cells.filter((x) => x.inconsistent).length,
      mean_length_chars: { a: lengthOf(columns[a].predictions), b: lengthOf(columns[b].predictions) },
    };
  });
  return { ...finish(calls), scores: null, pairs: results, perSample };
}

/** Every request, `concurrency` at a time; scheduling stops once that many failed before any answered (a judge that is down). */
async function callAll(tasks: { call: () => Promise<Call> }[], run: JudgeRun): Promise<Call[]> {
  let ok = 0;
  let failed = 0;
  const limit = run.judge.concurrency;
  run.onProgress?.(0, tasks.length);
  const settled = await mapBounded(tasks, limit, (t) => t.call(), {
    stop: () => ok === 0 && failed >= limit,
    onSettled: (_, r) => {
      if ('value' in r && r.value.error === null) ok++;
      else failed++;
      run.onProgress?.(ok + failed, tasks.length);
    },
  });
  return settled.map((r) => ('value' in r ? r.value : { judgment: null, error: { code: 'ENDPOINT_FAILED', message: `not sent: the first ${limit} judge requests failed` } }));
}

function finish(calls: Call[]): Pick<JudgeOutcome, 'status' | 'error'> {
  const failures = calls.filter((c) => c.error !== null);
  if (calls.length === 0) return { status: 'failed', error: { code: 'INVALID_REQUEST', message: 'nothing to judge: no column produced answers', hint: 'See the columns\' errors.' } };
  if (failures.length < calls.length) return { status: 'succeeded', error: null };
  const first = failures[0].error!;
  return { status: 'failed', error: { code: first.code, message: `every judge request failed; first: ${first.message}`, hint: 'Check that the judge model, deployment or connection answers (try it in the playground).' } };
}
