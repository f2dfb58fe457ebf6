import type { Command } from 'commander';
import { BACKENDS, QUANTIZATIONS, SERVE_DTYPES, type Deployment } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { parseLabelsOption } from '../parse-labels.ts';
import { print } from '../output.ts';

const describe = (d: Deployment) =>
  `${d.name} (${d.id}): ${d.backend}${d.quantization === 'none' ? '' : ` ${d.quantization}`}${d.dtype && d.dtype !== 'auto' ? ` ${d.dtype}` : ''}, ${d.status}${d.error ? ` - ${d.error.code}: ${d.error.message}` : ''}\n` +
  (d.labels ? `answers constrained to: ${d.labels.join(', ')} (a request's "labels" overrides; [] turns it off)\n` : '') +
  `call it: POST /v1/chat/completions {"model": "${d.name}", ...}`;

/** `whet deploy MODEL` and `whet deployments list|show|stop|delete`. */
export function deployCommands(program: Command, api: () => ApiClient) {
  program
    .command('deploy <model>')
    .description('Deploy a model (id, name, or a .gguf path for llamacpp) behind the OpenAI-compatible API')
    .option('--backend <backend>', BACKENDS.join(' | '), 'torch')
    .option('--adapter <model>', 'a fine-tuned adapter to serve on the model (torch, vllm)')
    .option('--quantization <q>', QUANTIZATIONS.join(' | '), 'none')
    .option('--dtype <dtype>', `torch: ${SERVE_DTYPES.join(' | ')} (bfloat16 on a CPU with AMX serves many streams faster, one slower)`, 'auto')
    .option('--name <name>', 'the model name clients call')
    .option('--queue-size <n>', 'requests that may wait before 429', (v) => Number(v))
    .option('--max-concurrency <n>', 'requests decoded at once, batched together (default 16 torch, 4 llamacpp)', (v) => Number(v))
    .option('--timeout <seconds>', 'cancel a request after this long', (v) => Number(v))
    .option('--labels <list>', 'constrain every answer to a label set: comma-separated, or "model" for the model\'s remembered set', parseLabelsOption)
    .option('--no-wait', 'return at once instead of waiting for the weights to load')
    .option('--json', 'print JSON')
    .action(async (model: string, o) => {
      const client = api();
      let d = await client.post<Deployment>('/deployments', {
        model,
        backend: o.backend,
        adapter: o.adapter,
        quantization: o.quantization,
        dtype: o.dtype,
        name: o.name,
        queue_size: o.queueSize,
        max_concurrency: o.maxConcurrency,
        timeout_s: o.timeout,
        labels: o.labels,
      });
      while (o.wait && d.status === 'loading') {
        await new Promise((r) => setTimeout(r, 500));
        d = await client.get<Deployment>(`/deployments/${d.id}`);
      }
      print(d, o, describe);
      if (d.status === 'failed') process.exitCode = 1;
    });

  const deployments = program.command('deployments').description('List, show, stop and delete deployments');
  deployments
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Deployment[] }>('/deployments');
      print(data, o, (rows) =>
        table(
          rows.map((d) => ({ ...d, queue: d.queue ? `${d.queue.running} running, ${d.queue.queued} waiting` : '' })),
          ['id', 'name', 'backend', 'quantization', 'status', 'queue'],
        ),
      );
    });
  deployments.command('show <id>').action(async (id: string) => print(await api().get<Deployment>(`/deployments/${encodeURIComponent(id)}`), { json: true }));
  deployments
    .command('stop <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().post<Deployment>(`/deployments/${encodeURIComponent(id)}/stop`), o, describe));
  deployments
    .command('delete <id>')
    .action(async (id: string) => print(await api().delete(`/deployments/${encodeURIComponent(id)}`), { json: true }));
}
