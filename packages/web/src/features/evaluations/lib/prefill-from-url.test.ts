import { describe, expect, it } from 'vitest';
import { EvaluationCreateSchema } from '@whetstone/core';
import { evaluationRequest } from './evaluation-request.ts';
import { checkpointSource, parseCheckpointSource, prefillFromUrl } from './prefill-from-url.ts';

describe('prefillFromUrl', () => {
  it('reads a job and a checkpoint step from the query, and ignores what is malformed', () => {
    expect(prefillFromUrl('?job=job_1&checkpoint=40')).toEqual({ jobId: 'job_1', step: 40 });
    expect(prefillFromUrl('?job=job_1')).toEqual({ jobId: 'job_1', step: null });
    expect(prefillFromUrl('?job=job_1&checkpoint=-3')).toEqual({ jobId: 'job_1', step: null });
    expect(prefillFromUrl('?job=job_1&checkpoint=0')).toEqual({ jobId: 'job_1', step: null });
    expect(prefillFromUrl('?checkpoint=40')).toBeNull();
    expect(prefillFromUrl('')).toBeNull();
  });

  it('round-trips a checkpoint column source into a job column of the request the server accepts', () => {
    const source = checkpointSource('job_1', 40);
    expect(parseCheckpointSource(source)).toEqual({ jobId: 'job_1', step: 40 });
    expect(parseCheckpointSource('model:m1')).toBeNull();
    const { body } = evaluationRequest({
      name: '', columns: [{ key: 1, source, fewShot: 0, label: '' }], baseline: 0, testSource: 'job', datasetId: '', jobId: 'job_1',
      fewShotDatasetId: '', labels: '', maxTokens: 16, temperature: 0, limit: '',
    });
    expect(body!.models).toEqual([{ kind: 'job', job_id: 'job_1', checkpoint_step: 40, few_shot: 0, label: undefined }]);
    expect(EvaluationCreateSchema.safeParse(body).success).toBe(true);
  });
});
