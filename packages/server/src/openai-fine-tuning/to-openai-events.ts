import type { FineTuningEvent } from '@whetstone/core';
import type { StoredEvent } from '../store/store.ts';
import { OPENAI_STATUS } from './to-openai-job.ts';

type Draft = Pick<FineTuningEvent, 'level' | 'message' | 'type' | 'data'>;
const say = (message: string, level: FineTuningEvent['level'] = 'info'): Draft => ({ level, message, type: 'message', data: null });

/**
 * A job's stored events as OpenAI's fine_tuning.job.event objects, newest first as OpenAI lists
 * them. Each training step logged is a "metrics" event (step, train_loss, valid_loss and the mean
 * token accuracies, valid_* from the latest evaluation at or before the step); status changes,
 * logs, checkpoints and errors are messages. Ids are <job id>-event-<seq>.
 */
export function toOpenAiEvents(jobId: string, events: StoredEvent[]): FineTuningEvent[] {
  const out: FineTuningEvent[] = [];
  let valid: { loss: number | null; accuracy: number | null } = { loss: null, accuracy: null };
  for (const e of events) {
    const d = e.data;
    if (e.type === 'eval') valid = { loss: num(d.eval_loss), accuracy: num(d.mean_token_accuracy) };
    const draft = describe(e, valid);
    if (draft) out.push({ id: `${jobId}-event-${e.seq}`, object: 'fine_tuning.job.event', created_at: Math.floor(Date.parse(e.time) / 1000), ...draft });
  }
  return out.reverse();
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function describe(e: StoredEvent, valid: { loss: number | null; accuracy: number | null }): Draft | null {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'status': {
      const status = OPENAI_STATUS[d.status as keyof typeof OPENAI_STATUS] ?? String(d.status);
      const level = status === 'failed' ? 'error' : 'info';
      return say(`Job ${status === 'succeeded' ? 'succeeded' : `status: ${status}`}${d.reason ? ` (${String(d.reason)})` : ''}`, level);
    }
    case 'started':
      return say(d.resumed_from_step ? `Training resumed from step ${String(d.resumed_from_step)} on ${String(d.device)}` : `Training started on ${String(d.device)}`);
    case 'plan':
      return d.reason === undefined || d.reason === 'initial' ? say(`Training plan: ${String(d.total_steps)} steps, ${String(d.train_samples)} training samples`) : null;
    case 'progress': {
      const step = Number(d.step);
      return {
        level: 'info',
        type: 'metrics',
        message: `Step ${step}/${String(d.total_steps)}: training loss=${Number(d.loss).toFixed(4)}`,
        data: {
          step,
          total_steps: d.total_steps,
          train_loss: num(d.loss),
          train_mean_token_accuracy: num(d.mean_token_accuracy),
          valid_loss: valid.loss,
          valid_mean_token_accuracy: valid.accuracy,
          full_valid_loss: valid.loss,
          full_valid_mean_token_accuracy: valid.accuracy,
          learning_rate: num(d.learning_rate),
        },
      };
    }
    case 'eval':
      return say(`Step ${String(d.step)}: validation loss=${Number(d.eval_loss).toFixed(4)}`);
    case 'checkpoint':
      return say(`Checkpoint created at step ${String(d.step)}`);
    case 'log':
      return d.level === 'debug' ? null : say(String(d.message ?? ''), d.level === 'error' ? 'error' : d.level === 'warning' ? 'warn' : 'info');
    case 'error':
      return say(`${String(d.code)}: ${String(d.message)}${d.hint ? ` ${String(d.hint)}` : ''}`, 'error');
    case 'stopped':
      return say(`Training stopped at step ${String(d.step)}${d.checkpoint ? ', checkpoint saved' : ''}`);
    case 'result':
      return say(`Training finished: ${String(d.steps)} steps${typeof d.train_tokens === 'number' ? `, ${d.train_tokens} tokens` : ''}`);
    default:
      return null;
  }
}
