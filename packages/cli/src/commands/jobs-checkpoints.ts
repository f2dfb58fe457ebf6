import type { Command } from 'commander';
import type { Checkpoint, Model } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

const loss = (v: number | null) => (v === null ? '--' : v.toFixed(4));
/** ISO time without milliseconds and zone noise: "2026-11-25 14:03:12". */
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** `whet jobs checkpoints JOB` and `whet jobs checkpoint-model JOB STEP`: a job's checkpoints, and one as a model. */
export function checkpointCommands(jobs: Command, api: () => ApiClient) {
  jobs
    .command('checkpoints <job>')
    .description("List a job's saved checkpoints, newest last, with the loss and eval loss at each")
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const { data } = await api().get<{ data: Checkpoint[] }>(`/jobs/${encodeURIComponent(id)}/checkpoints`);
      print(data, o, (rows) =>
        rows.length === 0
          ? `${id} has no checkpoint yet (one is saved every save_steps steps while it trains)`
          : table(rows.map((c) => ({ step: c.step, time: when(c.created_at), loss: loss(c.loss), 'eval loss': loss(c.eval_loss) })), ['step', 'time', 'loss', 'eval loss']),
      );
    });
  jobs
    .command('checkpoint-model <job> <step>')
    .description('Register one checkpoint as a model (its files copied), to deploy, export or evaluate like a job result')
    .option('--name <name>', 'the model name (default <job name>-step-<N>)')
    .option('--json', 'print JSON')
    .action(async (id: string, step: string, o) => {
      const model = await api().post<Model>(`/jobs/${encodeURIComponent(id)}/checkpoints/${encodeURIComponent(step)}/model`, o.name ? { name: o.name } : {});
      print(model, o, (m) => `${m.id}  ${m.name}  (${m.kind}, step ${m.checkpoint_step} of job ${m.job_id}); deploy it with \`whet deploy ${m.name}\``);
    });
}
