import type { Command } from 'commander';
import { type Settings, WhetError } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { print } from '../output.ts';
import { readStdin } from '../read-stdin.ts';


const describe = (s: Settings) =>
  [`job-webhook-url     ${s.job_webhook_url ?? '(none)'}`, `job-webhook-secret  ${s.job_webhook_secret_set ? 'set (never shown)' : '(none: POSTs are not signed)'}`].join('\n');

/**
 * `whet settings show|set` (admin key): the job-end webhook. The secret is read from stdin so it
 * never sits in shell history.
 */
export function settingsCommands(program: Command, api: () => ApiClient) {
  const settings = program.command('settings').description('Server settings: the webhook told when a job ends (admin key)');
  settings
    .command('show')
    .option('--json', 'print JSON')
    .action(async (o) => print(await api().get<Settings>('/settings'), o, describe));
  settings
    .command('set <name> [value]')
    .description('job-webhook-url URL: POST job.finished there when a job ends ("none" removes it); job-webhook-secret --secret-stdin: sign the POSTs ("none" removes it)')
    .option('--secret-stdin', 'read the webhook secret from standard input (with job-webhook-url or job-webhook-secret)')
    .option('--json', 'print JSON')
    .action(async (name: string, value: string | undefined, o) => {
      const body: Record<string, string | null> = {};
      if (name === 'job-webhook-url') {
        if (!value) throw new WhetError('INVALID_REQUEST', 'job-webhook-url needs a URL', { hint: 'e.g. `whet settings set job-webhook-url https://hooks.example.com/whet`, or "none" to remove it.' });
        body.job_webhook_url = value === 'none' ? null : value;
      } else if (name === 'job-webhook-secret') {
        if (value !== undefined && value !== 'none') {
          throw new WhetError('INVALID_REQUEST', 'the secret is not taken on the command line', { hint: 'Pipe it in: `printf %s "$SECRET" | whet settings set job-webhook-secret --secret-stdin`, or give "none" to remove it.' });
        }
        if (value === 'none') body.job_webhook_secret = null;
        else if (!o.secretStdin) throw new WhetError('INVALID_REQUEST', 'job-webhook-secret needs --secret-stdin', { hint: 'Pipe it in: `printf %s "$SECRET" | whet settings set job-webhook-secret --secret-stdin`.' });
      } else {
        throw new WhetError('INVALID_REQUEST', `no setting named "${name}"`, { hint: 'Settings: job-webhook-url, job-webhook-secret (`whet settings show`).' });
      }
      if (o.secretStdin) {
        const secret = (await readStdin('Pipe it in: `printf %s "$SECRET" | whet settings set ... --secret-stdin`.')).trim();
        if (!secret) throw new WhetError('INVALID_REQUEST', '--secret-stdin read an empty secret', { hint: 'Pipe it in: `printf %s "$SECRET" | whet settings set ... --secret-stdin`.' });
        body.job_webhook_secret = secret;
      }
      print(await api().patch<Settings>('/settings', body), o, describe);
    });
}
