import { describe, expect, it } from 'vitest';
import { BenchmarkCreateSchema } from '@whetstone/core';
import { benchmarkRequest, type BenchmarkDraft } from './benchmark-request.ts';

const draft: BenchmarkDraft = { name: '', datasetId: 'ds_1', devId: '', shots: 5, method: 'loglikelihood', limit: '', models: ['m1', 'm2'] };

describe('benchmarkRequest', () => {
  it('builds a body the server schema accepts, leaving out what was not chosen', () => {
    const { body } = benchmarkRequest({ ...draft, name: ' mmlu ', devId: 'ds_dev', limit: '40' });
    expect(body).toEqual({ dataset_id: 'ds_1', models: ['m1', 'm2'], num_fewshot: 5, method: 'loglikelihood', name: 'mmlu', fewshot_dataset_id: 'ds_dev', limit: 40 });
    expect(BenchmarkCreateSchema.safeParse(body).success).toBe(true);
    expect(benchmarkRequest(draft).body).not.toHaveProperty('limit');
  });

  it('names every missing choice at once', () => {
    expect([...benchmarkRequest({ ...draft, datasetId: '', models: [] }).problems].sort()).toEqual(['needDataset', 'needModels']);
    expect([...benchmarkRequest({ ...draft, models: Array.from({ length: 9 }, (_, i) => `m${i}`) }).problems]).toEqual(['tooManyModels']);
  });
});
