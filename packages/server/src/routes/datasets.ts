import { join } from 'node:path';
import { Hono } from 'hono';
import { QaDatasetCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { createDatasetFromUpload } from '../datasets/create-dataset.ts';
import { deleteDataset } from '../datasets/delete-dataset.ts';
import { datasetTokenStats } from '../datasets/dataset-token-stats.ts';
import { readDatasetRows } from '../datasets/read-dataset-rows.ts';
import { createDatasetFromPairs, draftQaPairs } from '../datasets/draft-qa-pairs.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { queryInt } from '../middleware/query-int.ts';

export function datasetRoutes(ctx: AppContext) {
  const getOr404 = (id: string) => {
    const d = ctx.store.getDataset(id);
    if (!d) throw new WhetError('DATASET_NOT_FOUND', `no dataset with id "${id}"`);
    return d;
  };
  return new Hono()
    .get('/datasets', (c) => c.json({ data: ctx.store.listDatasets() }))
    .post('/datasets', async (c) => {
      const { dataset, done } = await createDatasetFromUpload(ctx, c.req.raw);
      return c.json(dataset, done ? 201 : 202);
    })
    // documents into supervised data: draft pairs from a .txt/.md/.pdf with an OpenAI-compatible endpoint, review, save
    .post('/datasets/qa-drafts', async (c) => c.json(await draftQaPairs(ctx, c.req.raw)))
    .post('/datasets/from-qa', async (c) => c.json(await createDatasetFromPairs(ctx, await parseJsonBody(c, QaDatasetCreateSchema)), 201))
    .get('/datasets/:id', (c) => c.json(getOr404(c.req.param('id'))))
    .get('/datasets/:id/rows', async (c) => {
      const d = getOr404(c.req.param('id'));
      const offset = queryInt('offset', c.req.query('offset')) ?? 0;
      const limit = queryInt('limit', c.req.query('limit'), { min: 1, max: 100 }) ?? 20;
      const page = await readDatasetRows(join(ctx.config.home, 'datasets', d.id, 'data.jsonl'), offset, limit);
      return c.json({ dataset_id: d.id, total: d.rows, ...page });
    })
    .get('/datasets/:id/stats', async (c) => {
      const d = getOr404(c.req.param('id'));
      const model = c.req.query('model') || undefined;
      const maxSeqLen = queryInt('max_seq_len', c.req.query('max_seq_len'), { min: 1, max: 1_048_576 });
      const waitMs = queryInt('wait_ms', c.req.query('wait_ms'), { max: 600_000 });
      const report = await datasetTokenStats(ctx, d, { model, maxSeqLen, waitMs });
      return c.json(report, report.status === 'counting' ? 202 : 200);
    })
    .delete('/datasets/:id', (c) => {
      const d = getOr404(c.req.param('id'));
      deleteDataset(ctx, d);
      return c.json({ id: d.id, deleted: true });
    });
}
