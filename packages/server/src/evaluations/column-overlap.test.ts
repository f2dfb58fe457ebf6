import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDataMix, Model } from '@whetstone/core';
import { jobRow } from '../../../../test-support/job-row.ts';
import { tempHome, testApp } from '../../../../test-support/server.ts';
import { datasetDataPath } from '../jobs/create-job.ts';
import { columnOverlaps } from './column-overlap.ts';
import type { TestRow } from './load-test-rows.ts';

const chat = (q: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'x' }] });
const row = (index: number, q: string): TestRow => ({ index, messages: [{ role: 'system', content: 'Classify.' }, { role: 'user', content: q }], reference: 'x' });

// Which training file stands for a column's model, on a real SQLite store with jobs inserted as
// the scheduler stores them: a job that prepared its data reads its train split, one that used
// its dataset as uploaded reads the dataset; the real worker path is covered in label-metrics.e2e.
describe('columnOverlaps', () => {
  const { home, cleanup } = tempHome();
  const { ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  const trainPath = join(home, 'jobs', 'job_mix', 'data', 'train.jsonl');
  mkdirSync(join(home, 'jobs', 'job_mix', 'data'), { recursive: true });
  writeFileSync(trainPath, ['Alpha one', 'Beta two'].map(chat).join('\n') + '\n');
  const mix = { paths: { train: trainPath, validation: null, test: null } } as JobDataMix;
  ctx.store.insertJob(jobRow(home, 'job_mix', { data_mix: mix }));
  mkdirSync(join(home, 'datasets', 'ds_up'), { recursive: true });
  writeFileSync(datasetDataPath(home, 'ds_up'), ['Gamma three', 'Beta two'].map(chat).join('\n') + '\n');
  ctx.store.insertJob(jobRow(home, 'job_up', { dataset_id: 'ds_up' }));
  ctx.store.insertJob(jobRow(home, 'job_gone_data', { dataset_id: 'ds_gone' }));
  ctx.store.insertModel({ id: 'mdl_result', name: 'result', source: 'job', kind: 'adapter', job_id: 'job_up', path: home, base_model_id: null, created_at: '' } as unknown as Model);

  const rows = [row(0, 'Alpha one'), row(1, 'beta TWO'), row(2, 'Gamma three'), row(3, 'Delta four')];

  it('counts against the prepared train file, the uploaded dataset, or a registered result\'s job; null where nothing trained', async () => {
    const overlaps = await columnOverlaps(
      [
        { kind: 'job', job_id: 'job_mix', few_shot: 0 },
        { kind: 'job', job_id: 'job_up', checkpoint_step: 2, few_shot: 0 },
        { kind: 'model', model_id: 'result', few_shot: 0 },
        { kind: 'model', model_id: 'no-such-model', few_shot: 0 },
        { kind: 'job', job_id: 'job_gone_data', few_shot: 0 },
        { kind: 'job', job_id: 'job_nope', few_shot: 0 },
        { kind: 'endpoint', connection: 'api', timeout_s: 60, concurrency: 4, few_shot: 0 },
      ],
      rows,
      ctx.store,
      home,
    );
    expect(overlaps).toEqual([
      { job_id: 'job_mix', exact: 1, normalized: 2, test_rows: 4 },
      { job_id: 'job_up', exact: 1, normalized: 2, test_rows: 4 },
      { job_id: 'job_up', exact: 1, normalized: 2, test_rows: 4 },
      null,
      null,
      null,
      null,
    ]);
  });
});
