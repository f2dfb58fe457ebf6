import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Model } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

const params = (n: number | null) => (n === null ? '' : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(1)}K`);

export function modelCommands(program: Command, api: () => ApiClient) {
  const models = program.command('models').description('Register, pull and list models');
  models
    .command('add <path>')
    .description('Register a local Hugging Face model folder')
    .option('--name <name>', 'a name to refer to it by')
    .option('--json', 'print JSON')
    .action(async (path: string, o) => print(await api().post<Model>('/models', { path: resolve(path), name: o.name }), o, (m) => `registered ${m.name} (${m.id}): ${m.architecture}, ${params(m.params)} params, context ${m.context_length}`));
  models
    .command('pull <hub_id>')
    .description('Download a model from the Hugging Face Hub (or ModelScope) and register it')
    .option('--source <source>', 'hub or modelscope', 'hub')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--name <name>')
    .option('--json', 'print JSON')
    .action(async (hubId: string, o) => print(await api().post<Model>('/models', { hub_id: hubId, source: o.source, revision: o.revision, name: o.name }), o, (m) => `pulled and registered ${m.name} (${m.id})`));
  models
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Model[] }>('/models');
      print(data, o, (rows) => table(rows.map((m) => ({ ...m, params: params(m.params), base: m.base_model_id ?? '' })), ['id', 'name', 'kind', 'architecture', 'params', 'context_length', 'base']));
    });
  models
    .command('show <id>')
    .action(async (id: string) => print(await api().get<Model>(`/models/${encodeURIComponent(id)}`), { json: true }));
  models
    .command('delete <id>')
    .description('Forget a model (a local folder stays on disk; refused while a deployment, export, job or evaluation uses it)')
    .option('--force', 'stop the deployments and jobs that use it first (admin key)')
    .action(async (id: string, o) => print(await api().delete(`/models/${encodeURIComponent(id)}${o.force ? '?force=true' : ''}`), { json: true }));
}
