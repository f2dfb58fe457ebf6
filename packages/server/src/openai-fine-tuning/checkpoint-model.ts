import type { AppContext } from '../context.ts';
import { registerCheckpointModel } from '../jobs/register-checkpoint-model.ts';
import { parseCheckpointModelName } from './fine-tuned-model-name.ts';

/**
 * Make a checkpoint's model name (<job name>:ckpt-step-N) callable, as OpenAI's are: the first
 * request for it registers that checkpoint as a model of that name (registerCheckpointModel copies
 * its loadable files); later ones find the model. Other names pass through untouched, and a name
 * that fits no job's checkpoint is left for the gateway's own "does not exist".
 */
export async function ensureCheckpointModel(ctx: AppContext, name: string): Promise<void> {
  if (ctx.store.getModel(name)) return;
  const parsed = parseCheckpointModelName(name);
  if (!parsed) return;
  const job = ctx.store
    .listJobs()
    .filter((j) => j.name === parsed.jobName || j.id === parsed.jobName)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  if (!job) return;
  const existing = ctx.store.listModels().find((m) => m.job_id === job.id && m.checkpoint_step === parsed.step);
  if (existing) return; // registered natively under another name: call it by that name
  await registerCheckpointModel(ctx, job, parsed.step, { name });
}
