import type { Command } from 'commander';
import type { Benchmark, BenchmarkQuestion } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { describeBenchmark } from '../describe-benchmark.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

const FINISHED = new Set(['succeeded', 'failed']);
const LETTERS = 'ABCDEFGHIJ';

/** `whet bench run|list|show|questions`: models ranked on a multiple-choice dataset. */
export function benchCommands(program: Command, api: () => ApiClient) {
  const bench = program.command('bench').description('Rank models on a multiple-choice benchmark (MMLU, C-Eval, CMMLU, plain JSONL)');
  bench
    .command('run')
    .description('Score models on a multiple-choice dataset: --models base,tuned --data D [--shots 5 --dev-data D]')
    .requiredOption('--models <list>', 'comma-separated model ids or names (base models, fine-tuned results)')
    .requiredOption('--data <dataset>', 'the questions (a multiple-choice dataset id)')
    .option('--dev-data <dataset>', "few-shot examples: each subject's first rows (default: the questions' own first rows)")
    .option('--shots <n>', '0 to 5 examples per question', Number, 0)
    .option('--method <m>', 'loglikelihood (lm-evaluation-harness) | chat (chat template, LLaMA-Factory eval)', 'loglikelihood')
    .option('--template <t>', 'mmlu | cmmlu | ceval (default: from the dataset format)')
    .option('--limit <n>', 'the first N questions only', Number)
    .option('--batch-size <n>', 'sequences run together', Number, 16)
    .option('--name <name>')
    .option('--follow', 'print progress until it finishes, then the ranking')
    .option('--json', 'print JSON')
    .action(async (o) => {
      let b = await api().post<Benchmark>('/benchmarks', {
        ...(o.name ? { name: o.name } : {}),
        dataset_id: o.data,
        ...(o.devData ? { fewshot_dataset_id: o.devData } : {}),
        num_fewshot: o.shots,
        models: String(o.models).split(',').map((m) => m.trim()).filter(Boolean),
        method: o.method,
        ...(o.template ? { template: o.template } : {}),
        ...(o.limit ? { limit: o.limit } : {}),
        batch_size: o.batchSize,
      });
      if (!o.json) console.log(`created ${b.id}: ${b.models.length} models x ${b.dataset.questions} questions`);
      if (o.follow) {
        let last = '';
        while (!FINISHED.has(b.status)) {
          await new Promise((r) => setTimeout(r, 1000));
          b = await api().get<Benchmark>(`/benchmarks/${b.id}`);
          const line = b.models.map((m) => `${m.label} ${m.status === 'running' ? `${m.progress.done}/${m.progress.total}` : m.status}`).join(', ');
          if (!o.json && line !== last) console.log(line);
          last = line;
        }
        process.exitCode = b.status === 'succeeded' ? 0 : 1;
      }
      print(b, { json: o.json }, describeBenchmark);
    });
  bench
    .command('list')
    .description('Benchmarks, newest last')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: Benchmark[] }>('/benchmarks');
      print(data, o, (rows) =>
        table(rows.map((b) => ({ id: b.id, status: b.status, name: b.name, best: b.ranking[0] ? `${b.ranking[0].label} ${(b.ranking[0].acc * 100).toFixed(1)}%` : '' })), ['id', 'status', 'name', 'best']),
      );
    });
  bench
    .command('show <id>')
    .description('The ranking and accuracy per subject')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().get<Benchmark>(`/benchmarks/${id}`), o, describeBenchmark));
  bench
    .command('questions <id>')
    .description("Each question with the answer and every model's pick")
    .option('--subject <s>', "only this subject's questions")
    .option('--wrong <model>', 'only the questions this model (label) got wrong')
    .option('--limit <n>', '', Number, 20)
    .option('--offset <n>', '', Number, 0)
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const q = new URLSearchParams({ limit: String(o.limit), offset: String(o.offset), ...(o.subject ? { subject: o.subject } : {}), ...(o.wrong ? { wrong: o.wrong } : {}) });
      const page = await api().get<{ data: BenchmarkQuestion[]; total: number }>(`/benchmarks/${id}/questions?${q}`);
      print(page, o, (p) =>
        [
          `${p.total} questions`,
          table(
            p.data.map((r) => ({
              '#': r.index,
              subject: r.subject,
              question: r.question.length > 60 ? `${r.question.slice(0, 57)}...` : r.question,
              answer: LETTERS[r.answer],
              ...Object.fromEntries(r.picks.map((k) => [k.label, k.pred === null ? '' : `${LETTERS[k.pred]}${k.correct ? '' : ' x'}`])),
            })),
            ['#', 'subject', 'question', 'answer', ...(p.data[0]?.picks.map((k) => k.label) ?? [])],
          ),
        ].join('\n'),
      );
    });
}
