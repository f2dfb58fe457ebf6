import { describe, expect, it } from 'vitest';
import { EvaluationJudgeSchema } from '@whetstone/core';
import { judgeFromFlags, parseJudgePairs, parseJudgeRef, parseRubric } from './parse-judge-options.ts';

describe('whet eval run --judge flags', () => {
  it('name a model, a job result, a deployment or a connection', () => {
    expect(parseJudgeRef('qwen-7b')).toEqual({ kind: 'model', model_id: 'qwen-7b' });
    expect(parseJudgeRef('job_abc12')).toEqual({ kind: 'job', job_id: 'job_abc12' });
    expect(parseJudgeRef('dep:judge-a')).toEqual({ kind: 'deployment', deployment: 'judge-a' });
    expect(parseJudgeRef('conn:openai#gpt-4o')).toEqual({ kind: 'endpoint', connection: 'openai', model: 'gpt-4o', timeout_s: 120 });
    expect(() => parseJudgeRef('https://api.example.com/v1')).toThrow(/named by connection/);
  });

  it('read built-in rubrics, or the user\'s own from @FILE named after the file', () => {
    expect(parseRubric('correctness')).toBe('correctness');
    expect(parseRubric('@/tmp/polite.txt', { reference: true, readFile: () => 'Is it polite?' })).toEqual({ name: 'polite', text: 'Is it polite?', reference: true });
    expect(() => parseRubric('kindness')).toThrow(/neither a built-in rubric nor @FILE/);
  });

  it('parse pairs and refuse judge flags without --judge', () => {
    expect(parseJudgePairs('1:0, 2:0')).toEqual([[1, 0], [2, 0]]);
    expect(() => parseJudgePairs('1-0')).toThrow(/is not A:B/);
    expect(judgeFromFlags({})).toBeUndefined();
    expect(() => judgeFromFlags({ judgeMode: 'pairwise' })).toThrow('--judge-mode needs --judge');
  });

  it('build a body the server schema takes', () => {
    const j = judgeFromFlags({ judge: 'dep:judge-a', rubric: 'helpfulness', judgeMode: 'pairwise', judgePairs: '1:0', judgeLanguage: 'zh', judgeMaxTokens: 64, judgeConstrain: true });
    expect(EvaluationJudgeSchema.parse(j)).toMatchObject({ model: { kind: 'deployment', deployment: 'judge-a' }, mode: 'pairwise', pairs: [[1, 0]], language: 'zh', max_tokens: 64, constrain: true });
  });
});
