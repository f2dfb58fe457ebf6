import type { FineTuningCheckpoint, Job, MetricPoint } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { listCheckpointSummaries } from '../jobs/checkpoint-summaries.ts';
import { checkpointModelName } from './fine-tuned-model-name.ts';

/**
 * A job's checkpoints on disk as OpenAI's fine_tuning.job.checkpoint objects, newest first. Each
 * names a model (<job name>:ckpt-step-N) that /v1/chat/completions serves on first call.
 */
export async function toOpenAiCheckpoints(ctx: AppContext, job: Job): Promise<FineTuningCheckpoint[]> {
  const summaries = await listCheckpointSummaries(job.output_dir);
  const accuracy = ctx.store.listMetrics(job.id, ['mean_token_accuracy', 'eval_mean_token_accuracy']);
  return summaries.reverse().map((s) => {
    const validAccuracy = atOrBefore(accuracy, 'eval_mean_token_accuracy', s.step);
    return {
      id: `${job.id}-ckpt-step-${s.step}`,
      object: 'fine_tuning.job.checkpoint',
      created_at: Math.floor(Date.parse(s.created_at) / 1000),
      fine_tuned_model_checkpoint: checkpointModelName(job.name, s.step),
      fine_tuning_job_id: job.id,
      step_number: s.step,
      metrics: {
        step: s.step,
        train_loss: s.loss,
        train_mean_token_accuracy: atOrBefore(accuracy, 'mean_token_accuracy', s.step),
        valid_loss: s.eval_loss,
        valid_mean_token_accuracy: validAccuracy,
        full_valid_loss: s.eval_loss,
        full_valid_mean_token_accuracy: validAccuracy,
      },
    };
  });
}

/** The value of the latest point named so at or before `step`, or null. */
function atOrBefore(points: MetricPoint[], name: string, step: number): number | null {
  let best: MetricPoint | null = null;
  for (const p of points) if (p.name === name && p.step <= step && (!best || p.step >= best.step)) best = p;
  return best?.value ?? null;
}
