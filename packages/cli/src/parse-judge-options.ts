import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { WhetError, type EvaluationJudgeInput, type JudgeModelRef } from '@whetstone/core';

/**
 * `--judge`: `NAME` (a registered model), `job_ID` (a job's result), `dep:NAME` (a deployment),
 * `conn:NAME` or `conn:NAME#MODEL` (an outside endpoint an admin configured).
 */
export function parseJudgeRef(value: string): JudgeModelRef {
  const v = value.trim();
  if (!v) throw new WhetError('INVALID_REQUEST', '--judge is empty', { hint: 'Name a model, job_ID, dep:DEPLOYMENT or conn:CONNECTION[#MODEL].', field: 'judge' });
  if (v.startsWith('dep:')) return { kind: 'deployment', deployment: v.slice(4) };
  if (v.startsWith('conn:')) {
    const [connection, model] = v.slice(5).split('#', 2) as [string, string | undefined];
    return { kind: 'endpoint', connection, ...(model ? { model } : {}), timeout_s: 120 };
  }
  if (/^https?:\/\//.test(v)) {
    throw new WhetError('INVALID_REQUEST', `"${v}": a judge endpoint is named by connection, not by URL`, {
      hint: 'Ask an admin to add it (`whet connections add NAME --base-url URL --api-key-stdin`), then use --judge conn:NAME#MODEL.',
      field: 'judge',
    });
  }
  if (/^job_[A-Za-z0-9]+$/.test(v)) return { kind: 'job', job_id: v };
  return { kind: 'model', model_id: v };
}

/**
 * `--rubric`: helpfulness, correctness, or `@FILE`, the user's own criteria (the rubric is named
 * after the file); `reference` shows the judge the reference answer with an own rubric.
 */
export function parseRubric(value: string, opts: { reference?: boolean; readFile?: (path: string) => string } = {}): EvaluationJudgeInput['rubric'] {
  const v = value.trim();
  if (v === 'helpfulness' || v === 'correctness') return v;
  if (!v.startsWith('@')) {
    throw new WhetError('INVALID_REQUEST', `--rubric "${v}" is neither a built-in rubric nor @FILE`, { hint: 'Use helpfulness, correctness, or @rubric.txt (your own criteria, in a text file).', field: 'rubric' });
  }
  const path = v.slice(1);
  const text = (opts.readFile ?? ((p) => readFileSync(p, 'utf8')))(path);
  return { name: basename(path, extname(path)), text, reference: Boolean(opts.reference) };
}

/** `--judge-pairs 1:0,2:0`: which columns a pairwise judge compares, as `a:b` indexes in --models. */
export function parseJudgePairs(value: string): [number, number][] {
  return value
    .split(',')
    .filter((p) => p.trim())
    .map((p) => {
      const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(p);
      if (!m) throw new WhetError('INVALID_REQUEST', `--judge-pairs "${p}" is not A:B`, { hint: 'Give column indexes in --models, e.g. --judge-pairs 1:0,2:0.', field: 'judge.pairs' });
      return [Number(m[1]), Number(m[2])];
    });
}

export interface JudgeFlags {
  judge?: string;
  rubric?: string;
  rubricReference?: boolean;
  judgeMode?: string;
  judgePairs?: string;
  judgeLanguage?: string;
  judgeMaxTokens?: number;
  judgeConstrain?: boolean;
}

/** The `judge` of an evaluation body from `whet eval run`'s flags; undefined without --judge. The server checks the values. */
export function judgeFromFlags(o: JudgeFlags): EvaluationJudgeInput | undefined {
  if (!o.judge) {
    const stray = (['rubric', 'judgeMode', 'judgePairs', 'judgeLanguage', 'judgeMaxTokens', 'judgeConstrain'] as const).find((k) => o[k] !== undefined);
    if (stray) throw new WhetError('INVALID_REQUEST', `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --judge`, { hint: 'Name the judge with --judge MODEL.', field: 'judge' });
    return undefined;
  }
  return {
    model: parseJudgeRef(o.judge),
    ...(o.rubric ? { rubric: parseRubric(o.rubric, { reference: o.rubricReference }) } : {}),
    ...(o.judgeMode ? { mode: o.judgeMode as 'single' | 'pairwise' } : {}),
    ...(o.judgePairs ? { pairs: parseJudgePairs(o.judgePairs) } : {}),
    ...(o.judgeLanguage ? { language: o.judgeLanguage as 'auto' | 'en' | 'zh' } : {}),
    ...(o.judgeMaxTokens ? { max_tokens: o.judgeMaxTokens } : {}),
    ...(o.judgeConstrain ? { constrain: true } : {}),
  };
}
