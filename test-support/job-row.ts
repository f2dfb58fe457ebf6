import { join } from 'node:path';
import type { Job } from '@whetstone/core';

/**
 * A job row as the scheduler stores it, for tests that insert jobs directly (diagnosis curves,
 * in-use deletes, restarts): a finished LoRA SFT job in `home`, with `patch` on top.
 */
export function jobRow(home: string, id: string, patch: Partial<Job> = {}): Job {
  return {
    id,
    name: id,
    status: 'succeeded',
    method: 'sft',
    tuning: 'lora',
    model_id: 'mdl_x',
    dataset_id: 'ds_x',
    validation_dataset_id: null,
    data_mix: null,
    request: {},
    hyperparameters: {},
    resolved: {},
    progress: { step: 0, total_steps: 2, epoch: null, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null },
    error: null,
    executor: 'local',
    worker_pid: null,
    output_dir: join(home, 'jobs', id, 'output'),
    output_model_id: null,
    last_checkpoint: null,
    resumable: false,
    attempts: 1,
    queue_position: null,
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    ...patch,
  };
}
