import { TERMINAL_STATUSES, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import type { ModelUser } from './find-model-users.ts';

/** `deployment dep_1 (ready), evaluation eval_2 (running)`: the users an IN_USE message names. */
export const listed = (users: ModelUser[]) => users.map((u) => `${u.kind} ${u.id} (${u.status})`).join(', ');

/**
 * Clear the way to delete `what` (e.g. `model tiny`): with users and no force, 409 IN_USE
 * listing them in `details.users`. With force, deployments are stopped and jobs cancelled
 * first (waiting until their workers exit); exports have no way to stop midway, and evaluations are
 * left to their owner to cancel, so while one runs the delete is refused even with force. All-or-nothing: nothing is stopped when something cannot be.
 */
export async function releaseModelUsers(ctx: AppContext, what: string, users: ModelUser[], force: boolean): Promise<void> {
  if (users.length === 0) return;
  const details = { users };
  if (!force) {
    throw new WhetError('IN_USE', `${what} is in use by ${listed(users)}`, {
      details,
      hint: 'Stop or delete those first (deployments: POST /api/v1/deployments/{id}/stop; jobs: POST /api/v1/jobs/{id}/cancel; evaluations: POST /api/v1/evaluations/{id}/cancel), or repeat the request with ?force=true to stop the deployments and jobs.',
    });
  }
  const unstoppable = users.filter((u) => u.kind === 'export' || u.kind === 'evaluation');
  if (unstoppable.length) {
    throw new WhetError('IN_USE', `${what} is in use by ${listed(unstoppable)}; ?force=true stops neither exports (they cannot be stopped midway) nor evaluations, so it cannot free it`, {
      details,
      hint: 'Wait until they finish (GET /api/v1/exports, GET /api/v1/evaluations), or cancel the evaluations (POST /api/v1/evaluations/{id}/cancel), then delete again.',
    });
  }
  const cancelled: string[] = [];
  for (const u of users) {
    if (u.kind === 'deployment') await ctx.gateway.deployments.stop(u.id);
    else if (u.kind === 'job' && !stopped(ctx, u.id)) {
      ctx.scheduler.cancel(u.id);
      cancelled.push(u.id);
    }
  }
  // A cancelled worker checkpoints first: wait until it has exited (bounded by the stop grace)
  // so that nothing still reads or writes the files about to go.
  const deadline = Date.now() + (ctx.config.stopGraceSeconds + 5) * 1000;
  while (cancelled.some((id) => !stopped(ctx, id))) {
    if (Date.now() > deadline) {
      throw new WhetError('IN_USE', `${what}: job(s) ${cancelled.filter((id) => !stopped(ctx, id)).join(', ')} did not stop within ${ctx.config.stopGraceSeconds + 5} s`, {
        details,
        hint: 'Wait until they show as cancelled (GET /api/v1/jobs/{id}), then delete again.',
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stopped = (ctx: AppContext, jobId: string) => {
  const job = ctx.store.getJob(jobId);
  return !job || (TERMINAL_STATUSES.includes(job.status) && !ctx.scheduler.isRunning(jobId));
};
