import { describe, expect, it } from 'vitest';
import { JobCreateSchema } from '@whetstone/core';
import { buildJobRequest, emptyForm } from './build-job-request.ts';
import { buildMixEntries, mixRowErrors, newMixSource } from './build-mix-request.ts';

describe('the mix request', () => {
  it('sends each chosen row with its weight or sample count, and skips rows with no dataset yet', () => {
    const { datasets, rowOf } = buildMixEntries([
      { dataset: 'a', by: 'weight', amount: '1' },
      newMixSource(),
      { dataset: 'b', by: 'weight', amount: ' 0.25 ' },
      { dataset: 'c', by: 'samples', amount: '40' },
      { dataset: 'd', by: 'weight', amount: '' },
    ]);
    expect(datasets).toEqual([{ id: 'a', weight: 1 }, { id: 'b', weight: 0.25 }, { id: 'c', samples: 40 }, { id: 'd' }]);
    expect(rowOf).toEqual([0, 2, 3, 4]);
  });

  it('goes into the job body in place of `dataset`, and the server schema takes it', () => {
    const body = buildJobRequest(emptyForm({ model: 'm', dataset: 'x', mix: true, sources: [{ dataset: 'a', by: 'weight', amount: '2' }, { dataset: 'b', by: 'samples', amount: '5' }] }));
    expect(body).toMatchObject({ model: 'm', datasets: [{ id: 'a', weight: 2 }, { id: 'b', samples: 5 }] });
    expect(body).not.toHaveProperty('dataset');
    expect(JobCreateSchema.safeParse(body).success).toBe(true);
  });

  it('passes a count that is not a whole number through, for the server to name', () => {
    const body = buildJobRequest(emptyForm({ model: 'm', mix: true, sources: [{ dataset: 'a', by: 'samples', amount: 'many' }] }));
    expect(body.datasets).toEqual([{ id: 'a', samples: 'many' }]);
    const parsed = JobCreateSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['datasets', 0, 'samples']);
  });

  it('puts the server\'s complaint on the builder row it names', () => {
    const rowOf = [0, 2];
    expect(mixRowErrors({ message: 'mixed kinds', field: 'datasets.1.id' }, rowOf)).toEqual({ 2: 'mixed kinds' });
    expect(mixRowErrors({ message: 'x', field: 'datasets.0.samples', details: [{ path: 'datasets.1.samples', message: 'Too small' }, { path: 'datasets.1.weight', message: 'Bad' }] }, rowOf)).toEqual({ 2: 'Too small; Bad' });
    expect(mixRowErrors({ message: 'x', field: 'model' }, rowOf)).toEqual({});
    expect(mixRowErrors(null, rowOf)).toEqual({});
  });
});
