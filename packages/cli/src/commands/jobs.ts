import type { Command } from 'commander';
import type { Job, JobDiagnosis, JobLog, MetricPoint, Resources } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { followJob } from '../follow-job.ts';
import { describeDataMix } from './data.ts';
import { jobQueueCommands } from './jobs-queue.ts';
import { checkpointCommands } from './jobs-checkpoints.ts';
import { duration, table } from '../format.ts';
import { print } from '../output.ts';

export function describeJob(j: Job): string {
  const p = j.progress;
  const mixed = j.data_mix?.sources.length ?? 1;
  const lines = [
    `${j.id}  ${j.name}`,
    `status     ${j.status}${j.resumable ? ' (resumable)' : ''}`,
    `model      ${j.model_id}   ${mixed > 1 ? `datasets: a mix of ${mixed} (below)` : `dataset ${j.dataset_id}`}   ${j.method} / ${j.tuning}`,
    `progress   step ${p.step}/${p.total_steps ?? '?'}  loss ${p.loss?.toFixed(4) ?? '--'}  eval_loss ${p.eval_loss?.toFixed(4) ?? '--'}  ETA ${duration(p.eta_seconds)}`,
  ];
  if (j.resources) lines.push(`resources  ${describeResources(j.resources)}`);
  if (j.data_mix) lines.push(...describeDataMix(j.data_mix));
  if (j.label_set) lines.push(`labels     ${j.label_set.labels.map((l) => `${JSON.stringify(l.label)} ${l.count}`).join(', ')}`);
  if (j.output_model_id) lines.push(`result     model ${j.output_model_id}`);
  if (j.error) lines.push(`error      ${j.error.code}: ${j.error.message}`, `hint       ${j.error.hint}`);
  lines.push('hyperparameters:');
  for (const [k, r] of Object.entries(j.resolved)) lines.push(`  ${k.padEnd(26)} ${JSON.stringify(r.value).padEnd(14)} ${r.source.padEnd(8)} ${r.reason}`);
  return lines.join('\n');
}

/** "torchrun: 1 node x 2 processes, CPU (gloo), ddp". */
export function describeResources(r: Resources): string {
  const shared = r.shared_path ? `; files under ${r.shared_path}` : '';
  if (r.executor === 'local') return `local: one process${r.gpus_per_process ? ', 1 GPU' : ''}${shared}`;
  const nodes = `${r.nodes} node${r.nodes > 1 ? 's' : ''} x ${r.processes_per_node} process${r.processes_per_node > 1 ? 'es' : ''}`;
  return `${r.executor}: ${nodes}, ${r.gpus_per_process ? `${r.gpus_per_process} GPU a process (nccl)` : 'CPU (gloo)'}, ${r.strategy}${shared}`;
}

/** Exit status for a finished job: 0 only when it succeeded. */
export const exitCodeFor = (j: Job) => (j.status === 'succeeded' ? 0 : 1);

export function jobCommands(program: Command, api: () => ApiClient) {
  const jobs = program.command('jobs').description('List, inspect and control training jobs');
  jobs
    .command('list')
    .option('--status <s>', 'filter, e.g. running,queued')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Job[] }>(`/jobs${o.status ? `?status=${o.status}` : ''}`);
      print(data, o, (rows) =>
        table(rows.map((j) => ({ ...j, step: `${j.progress.step}/${j.progress.total_steps ?? '?'}`, loss: j.progress.loss?.toFixed(4) ?? '' })), ['id', 'name', 'status', 'tuning', 'step', 'loss']),
      );
    });
  jobs
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const job = await api().get<Job>(`/jobs/${id}`);
      if (o.json) return print(job, o);
      // The verdict on the curves belongs with the job: a user reading it learns whether to trust it.
      const d = await api().get<JobDiagnosis>(`/jobs/${id}/diagnosis`);
      console.log(`${describeJob(job)}\ndiagnosis  ${d.verdict}: ${d.summary}${d.advice.length ? `\n  advice: ${d.advice[0]}` : ''}`);
    });
  jobs
    .command('logs <id>')
    .option('--follow', 'stream until the job stops')
    .action(async (id: string, o) => {
      const { data } = await api().get<{ data: JobLog[] }>(`/jobs/${id}/logs`);
      for (const l of data) console.log(`${l.time} ${l.level.padEnd(7)} ${l.message}`);
      if (o.follow) process.exitCode = exitCodeFor(await followJob(api(), id));
    });
  jobs
    .command('metrics <id>')
    .option('--names <names>', 'e.g. loss,eval_loss')
    .action(async (id: string, o) => {
      const { data } = await api().get<{ data: MetricPoint[] }>(`/jobs/${id}/metrics${o.names ? `?names=${o.names}` : ''}`);
      console.log(JSON.stringify(data));
    });
  jobs
    .command('diagnose <id>')
    .description('Judge the training curves: unstable, overfitting, rewards_falling, not_converging, healthy or too_early, with evidence and advice')
    .option('--json', 'print JSON')
    .action(async (id: string, o) =>
      print(await api().get<JobDiagnosis>(`/jobs/${id}/diagnosis`), o, (d) =>
        [`${d.job_id}: ${d.verdict}`, d.summary, 'evidence:', ...d.evidence.map((e) => `  - ${e.message}`), 'advice:', ...d.advice.map((a) => `  - ${a}`)].join('\n'),
      ),
    );
  for (const action of ['cancel', 'pause'] as const) {
    jobs
      .command(`${action} <id>`)
      .option('--json', 'print JSON')
      .action(async (id: string, o) => print(await api().post<Job>(`/jobs/${id}/${action}`), o, (j) => `${j.id}: ${action} requested (status ${j.status})`));
  }
  jobs
    .command('resume <id>')
    .option('--epochs <n>', 'a new total number of epochs; the schedule is extended', Number)
    .option('--follow', 'stream progress until the job stops')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const j = await api().post<Job>(`/jobs/${id}/resume`, o.epochs ? { epochs: o.epochs } : {});
      print(j, o, (x) => `${x.id}: resumed (status ${x.status})`);
      if (o.follow) process.exitCode = exitCodeFor(await followJob(api(), id));
    });
  jobQueueCommands(jobs, api);
  checkpointCommands(jobs, api);
  jobs
    .command('delete <id>')
    .description('Delete a finished job, its files and its result model (refused while a deployment, export or job uses it)')
    .option('--force', 'stop the deployments and jobs that use its result first (admin key)')
    .action(async (id: string, o) => print(await api().delete(`/jobs/${id}${o.force ? '?force=true' : ''}`), { json: true }));
}
