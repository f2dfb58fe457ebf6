import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, TERMINAL_STATUSES, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';

/** Delete a dataset and its folder; 409 DATASET_IN_USE while an unfinished or resumable job needs it. */
export function deleteDataset(ctx: AppContext, d: Dataset): void {
  // A resumable job still needs its data, so it counts as a user too.
  const users = ctx.store.jobsUsingDataset(d.id).filter((j) => !TERMINAL_STATUSES.includes(j.status) || j.resumable);
  if (users.length) {
    throw new WhetError('DATASET_IN_USE', `dataset ${d.id} is used by ${users.length} unfinished or resumable job(s): ${users.map((j) => j.id).join(', ')}`);
  }
  ctx.store.deleteDataset(d.id);
  rmSync(join(ctx.config.home, 'datasets', d.id), { recursive: true, force: true });
}
