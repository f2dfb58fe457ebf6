import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { TERMINAL_STATUSES, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { createDatasetFromUpload } from '../datasets/create-dataset.ts';

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
    .get('/datasets/:id', (c) => c.json(getOr404(c.req.param('id'))))
    .delete('/datasets/:id', (c) => {
      const d = getOr404(c.req.param('id'));
      // A resumable job still needs its data, so it counts as a user too.
      const users = ctx.store.jobsUsingDataset(d.id).filter((j) => !TERMINAL_STATUSES.includes(j.status) || j.resumable);
      if (users.length) {
        throw new WhetError('DATASET_IN_USE', `dataset ${d.id} is used by ${users.length} unfinished or resumable job(s): ${users.map((j) => j.id).join(', ')}`);
      }
      ctx.store.deleteDataset(d.id);
      rmSync(join(ctx.config.home, 'datasets', d.id), { recursive: true, force: true });
      return c.json({ id: d.id, deleted: true });
    });
}
