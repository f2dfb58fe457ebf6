import type { Command } from 'commander';
import { EXPORT_FORMATS, GGUF_QUANTIZATIONS, type Export } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

const mb = (n: number | null) => (n === null ? '' : `${(n / 1e6).toFixed(1)} MB`);
const kind = (e: Export) => `${e.format}${e.quantization ? ` ${e.quantization}` : ''}`;

/** Status line, then the folder on a line of its own (`| tail -1` gives the path). */
const describe = (e: Export) =>
  e.status === 'failed'
    ? `${e.id}: ${kind(e)} export failed - ${e.error?.code}: ${e.error?.message}${e.error?.hint ? `\nhint: ${e.error.hint}` : ''}`
    : e.status === 'running'
      ? `${e.id}: ${kind(e)} export running; follow it with \`whet exports show ${e.id}\`\n${e.path}`
      : `${e.id}: ${kind(e)} export succeeded, ${mb(e.size_bytes)} (${e.files.join(', ')})\n${e.path}`;

/** `whet export MODEL --format ...` and `whet exports list|show`. */
export function exportCommands(program: Command, api: () => ApiClient) {
  program
    .command('export <model>')
    .description('Export a base model or a job result (id or name) as a PEFT adapter, a merged Hugging Face folder or a GGUF file')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(' | '))
    .option('--quantization <q>', `gguf only: ${GGUF_QUANTIZATIONS.join(' | ')} (default f16)`)
    .option('--wait', 'wait until the export is written, then print its path')
    .option('--json', 'print JSON')
    .action(async (model: string, o) => {
      const client = api();
      let e = await client.post<Export>(`/models/${encodeURIComponent(model)}/exports`, { format: o.format, quantization: o.quantization });
      while (o.wait && e.status === 'running') {
        await new Promise((r) => setTimeout(r, 500));
        e = await client.get<Export>(`/exports/${e.id}`);
      }
      print(e, o, describe);
      if (e.status === 'failed') process.exitCode = 1;
    });

  const exports = program.command('exports').description('List and show exports');
  exports
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Export[] }>('/exports');
      print(data, o, (rows) => table(rows.map((e) => ({ ...e, quantization: e.quantization ?? '', size: mb(e.size_bytes) })), ['id', 'model_id', 'format', 'quantization', 'status', 'size', 'path']));
    });
  exports
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().get<Export>(`/exports/${encodeURIComponent(id)}`), o, describe));
}
