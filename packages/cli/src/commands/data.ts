import { openAsBlob } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Dataset } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

function describe(d: Dataset): string {
  const lines = [`${d.id}  ${d.name}  ${d.status}  format=${d.format ?? '?'}  rows=${d.rows}`];
  for (const e of d.errors.slice(0, 20)) lines.push(`  line ${e.line}${e.field ? ` [${e.field}]` : ''}: ${e.message}`);
  if (d.errors.length > 20) lines.push(`  ... ${d.errors.length - 20} more (see --json)`);
  return lines.join('\n');
}

export function dataCommands(program: Command, api: () => ApiClient) {
  const data = program.command('data').description('Upload and inspect datasets');
  data
    .command('upload <file>')
    .description('Upload a dataset file (JSONL, JSON, CSV, Parquet; alpaca, sharegpt or OpenAI chat)')
    .option('--format <format>', 'name the format instead of detecting it')
    .option('--keep-good-rows', 'keep valid rows of a file with errors (the bad ones are reported and dropped)')
    .option('--name <name>')
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      const form = new FormData();
      form.set('file', await openAsBlob(resolve(file)), basename(file));
      if (o.format) form.set('format', o.format);
      if (o.keepGoodRows) form.set('keep_good_rows', 'true');
      if (o.name) form.set('name', o.name);
      const d = await api().request<Dataset>('POST', '/datasets', form);
      print(d, o, describe);
      if (d.status === 'invalid') process.exitCode = 1;
    });
  data
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data: rows } = await api().get<{ data: Dataset[] }>('/datasets');
      print(rows, o, (r) => table(r, ['id', 'name', 'status', 'format', 'rows']));
    });
  data
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().get<Dataset>(`/datasets/${id}`), o, describe));
  data
    .command('delete <id>')
    .action(async (id: string) => print(await api().delete(`/datasets/${id}`), { json: true }));
}
