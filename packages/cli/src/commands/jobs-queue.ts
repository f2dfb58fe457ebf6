import type { Command } from 'commander';
import { type Job, type JobMove, WhetError } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

/** The one place --top, --bottom, --before or --after names; anything else is a usage error with the fix. */
function moveBody(o: { top?: boolean; bottom?: boolean; before?: string; after?: string }): JobMove {
  const given: JobMove[] = [
    ...(o.top ? [{ position: 'top' as const }] : []),
    ...(o.bottom ? [{ position: 'bottom' as const }] : []),
    ...(o.before !== undefined ? [{ before: o.before }] : []),
    ...(o.after !== undefined ? [{ after: o.after }] : []),
  ];
  if (given.length !== 1) {
    throw new WhetError('INVALID_REQUEST', given.length ? 'give only one of --top, --bottom, --before ID or --after ID' : 'say where the job goes', {
      hint: 'e.g. `whet jobs move JOB --top`, or `whet jobs move JOB --after OTHER_JOB` (`whet jobs queue` lists the queue).',
    });
  }
  return given[0]!;
}

/** `whet jobs queue` (queued jobs in the order they will run) and `whet jobs move ID --top|--bottom|--before ID|--after ID`. */
export function jobQueueCommands(jobs: Command, api: () => ApiClient) {
  jobs
    .command('queue')
    .description('Queued jobs in the order they will start')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Job[] }>('/jobs?status=queued');
      const queue = data.sort((a, b) => (a.queue_position ?? 0) - (b.queue_position ?? 0));
      print(queue, o, (rows) => table(rows.map((j) => ({ ...j, position: j.queue_position })), ['position', 'id', 'name', 'tuning', 'created_at']));
    });
  jobs
    .command('move <id>')
    .description('Move a queued job: to the top or bottom of the queue, or just before or after another queued job')
    .option('--top', 'run it next')
    .option('--bottom', 'run it after every other queued job')
    .option('--before <job>', 'run it just before this queued job')
    .option('--after <job>', 'run it just after this queued job')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const body = moveBody(o);
      print(await api().post<Job>(`/jobs/${encodeURIComponent(id)}/move`, body), o, (j) => `${j.id}: now ${j.queue_position} in the queue`);
    });
}
