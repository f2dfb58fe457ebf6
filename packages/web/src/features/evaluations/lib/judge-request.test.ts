import { describe, expect, it } from 'vitest';
import { EvaluationJudgeSchema } from '@whetstone/core';
import { judgeRequest, NO_JUDGE } from './judge-request.ts';

describe('judgeRequest', () => {
  it('is undefined without a judge', () => {
    expect(judgeRequest(NO_JUDGE, 1)).toEqual({ judge: undefined, problems: [] });
  });

  it('builds judges the server schema accepts: a model, a deployment, an endpoint, an own rubric', () => {
    const model = judgeRequest({ ...NO_JUDGE, source: 'model:mdl_1', rubric: 'correctness', constrain: true }, 1).judge;
    expect(EvaluationJudgeSchema.parse(model)).toMatchObject({ model: { kind: 'model', model_id: 'mdl_1' }, rubric: 'correctness', mode: 'single', constrain: true });
    const dep = judgeRequest({ ...NO_JUDGE, source: 'deployment:judge', mode: 'pairwise' }, 2).judge;
    expect(EvaluationJudgeSchema.parse(dep)).toMatchObject({ model: { kind: 'deployment', deployment: 'judge' }, mode: 'pairwise' });
    // An endpoint is never constrained (the server would refuse it).
    const endpoint = judgeRequest({ ...NO_JUDGE, source: 'endpoint:api:v2', constrain: true, rubric: 'own', rubricText: ' Is it polite? ' }, 1).judge;
    expect(EvaluationJudgeSchema.parse(endpoint)).toMatchObject({ model: { kind: 'endpoint', connection: 'api:v2' }, rubric: { name: 'own', text: 'Is it polite?' }, constrain: false });
  });

  it('asks for a judge when one is required (judging again)', () => {
    expect(judgeRequest(NO_JUDGE, 2, true)).toEqual({ judge: undefined, problems: ['judgeMissing'] });
    expect(judgeRequest({ ...NO_JUDGE, source: 'model:m' }, 2, true).problems).toEqual([]);
  });

  it('names what is missing: an empty own rubric, a pairwise judge with one model', () => {
    expect(judgeRequest({ ...NO_JUDGE, source: 'model:m', rubric: 'own', mode: 'pairwise' }, 1)).toEqual({ judge: undefined, problems: ['judgeRubricEmpty', 'judgeNeedsTwo'] });
  });
});
