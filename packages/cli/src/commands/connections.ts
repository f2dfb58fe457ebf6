import type { Command } from 'commander';
import { WhetError, type Connection } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';
import { readStdin } from '../read-stdin.ts';


/**
 * `whet connections list|add|delete`: outside OpenAI-compatible endpoints that evaluations
 * (`--models conn:NAME#MODEL`) and QA drafting (`--connection NAME`) name. Adding and deleting
 * needs an admin key; the key of a connection is read from stdin so it never sits in shell history.
 */
export function connectionCommands(program: Command, api: () => ApiClient) {
  const connections = program.command('connections').description('Outside OpenAI-compatible endpoints for evaluations and QA drafting (adding one needs an admin key)');
  connections
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Connection[] }>('/connections');
      print(data, o, (rows) => table(rows.map((c) => ({ ...c, model: c.model ?? '', key: c.api_key_env ? `env ${c.api_key_env}` : c.key })), ['id', 'name', 'base_url', 'model', 'key']));
    });
  connections
    .command('add <name>')
    .description('Add a connection; its key is stored on the server and never shown again')
    .requiredOption('--base-url <url>', 'the OpenAI-compatible API, e.g. https://api.openai.com/v1')
    .option('--model <name>', 'the model used when a caller names none')
    .option('--api-key-stdin', 'read the key from standard input')
    .option('--api-key-env <VAR>', 'take the key from this server variable (it must be listed in WHET_ENDPOINT_KEYS)')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      if (o.apiKeyStdin && o.apiKeyEnv) {
        throw new WhetError('INVALID_REQUEST', '--api-key-stdin and --api-key-env both give the key', { hint: 'Use one of them.' });
      }
      const apiKey = o.apiKeyStdin ? (await readStdin('Pipe the key in: `printf %s "$KEY" | whet connections add ... --api-key-stdin`.')).trim() : undefined;
      if (o.apiKeyStdin && !apiKey) throw new WhetError('INVALID_REQUEST', '--api-key-stdin read an empty key', { hint: 'Pipe the key in: `printf %s "$KEY" | whet connections add ...`.' });
      const body = { name, base_url: o.baseUrl, model: o.model, api_key: apiKey, api_key_env: o.apiKeyEnv };
      print(await api().post<Connection>('/connections', body), o, (c) => `added connection ${c.name} (${c.id}) to ${c.base_url}${c.model ? `, model ${c.model}` : ''}, key: ${c.api_key_env ? `from ${c.api_key_env}` : c.key}`);
    });
  connections
    .command('delete <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => print(await api().delete<{ id: string }>(`/connections/${encodeURIComponent(name)}`), o, (r) => `deleted connection ${r.id}`));
}
