import { describe, expect, it } from 'vitest';
import { EvaluationCreateSchema } from '@whetstone/core';
import { evaluationRequest, type EvaluationFormValues } from './evaluation-request.ts';

const form = (over: Partial<EvaluationFormValues> = {}): EvaluationFormValues => ({
  name: '',
  columns: [{ key: 1, source: 'model:m1', fewShot: 0, label: '' }],
  baseline: 0,
  testSource: 'dataset',
  datasetId: 'ds1',
  jobId: '',
  fewShotDatasetId: '',
  labels: '',
  maxTokens: 256,
  temperature: 0,
  limit: '',
  ...over,
});

describe('evaluationRequest', () => {
  it('builds a body the server schema accepts: models, endpoints with k-shot, baseline, labels, limit', () => {
    const { body, problems } = evaluationRequest(
      form({
        name: ' mine ',
        columns: [
          { key: 1, source: 'model:m1', fewShot: 0, label: '' },
          { key: 2, source: 'model:m1', fewShot: 2, label: 'prompted' },
          { key: 3, source: 'endpoint:api:v2', fewShot: 0, label: '' },
        ],
        baseline: 1,
        fewShotDatasetId: 'shots',
        labels: 'yes, no，maybe',
        maxTokens: 16,
        limit: '3',
      }),
    );
    expect(problems.size).toBe(0);
    expect(body).toMatchObject({
      name: 'mine',
      dataset_id: 'ds1',
      few_shot_dataset_id: 'shots',
      baseline: 1,
      labels: ['yes', 'no', 'maybe'],
      limit: 3,
      generation: { max_tokens: 16, temperature: 0 },
      models: [
        { kind: 'model', model_id: 'm1', few_shot: 0 },
        { kind: 'model', model_id: 'm1', few_shot: 2, label: 'prompted' },
        { kind: 'endpoint', connection: 'api:v2', few_shot: 0 },
      ],
    });
    expect(EvaluationCreateSchema.safeParse(body).success).toBe(true);
  });

  it("uses a job's held-out split, whose training data gives the few-shot examples", () => {
    const { body } = evaluationRequest(form({ testSource: 'job', jobId: 'job1', datasetId: 'ignored', columns: [{ key: 1, source: 'model:m1', fewShot: 1, label: '' }] }));
    expect(body).toMatchObject({ job_id: 'job1' });
    expect(body).not.toHaveProperty('dataset_id');
    expect(EvaluationCreateSchema.safeParse(body).success).toBe(true);
  });

  it('reports every problem at once', () => {
    const { body, problems } = evaluationRequest(form({ columns: [{ key: 1, source: '', fewShot: 1, label: '' }], datasetId: '', labels: 'only-one' }));
    expect(body).toBeNull();
    expect([...problems].sort()).toEqual(['labelsTooFew', 'needFewShotData', 'needSource', 'needTestSet']);
    expect([...evaluationRequest(form({ columns: [{ key: 1, source: 'model:m', fewShot: 2, label: '' }] })).problems]).toEqual(['needFewShotData']);
  });
});

describe('evaluationRequest with constrained columns', () => {
  it('marks a model or checkpoint column constrain_to_labels when it is ticked and labels are given', () => {
    const columns = [
      { key: 1, source: 'model:m1', fewShot: 0, label: '', constrain: true },
      { key: 2, source: 'checkpoint:job_1@40', fewShot: 0, label: '', constrain: true },
      { key: 3, source: 'model:m1', fewShot: 0, label: 'free' },
    ];
    const { body } = evaluationRequest(form({ columns, labels: 'yes, no' }));
    expect(body!.models.map((m) => ('constrain_to_labels' in m ? m.constrain_to_labels : undefined))).toEqual([true, true, undefined]);
    expect(EvaluationCreateSchema.safeParse(body).success).toBe(true);
    // Without labels the tick has nothing to constrain to and is left out.
    expect(evaluationRequest(form({ columns })).body!.models.some((m) => 'constrain_to_labels' in m)).toBe(false);
  });
});
