import { openAsBlob, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Dataset, type JobDataMix, type LabelSet, WhetError } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

interface StatsReport {
  dataset_id: string;
  status: 'ready' | 'counting';
  model: { id: string; name: string } | null;
  stats: {
    rows: number;
    turns: { total: number; mean: number; max: number };
    characters: { total: number; chinese: number; other: number };
    english_words: number;
    duplicates: { exact: number; normalized: number };
    tokens: {
      total: number;
      per_sample: { min: number; mean: number; p50: number; p95: number; p99: number; max: number };
      histogram: { edges: number[]; counts: number[] };
      per_chinese_char: number | null;
      per_english_word: number | null;
    } | null;
    label_set?: LabelSet | null;
  };
  advice: { level: string; code: string; message: string }[];
}

function describeStats(r: StatsReport): string {
  const s = r.stats;
  const lines = [
    `${r.dataset_id}: ${s.rows} rows, ${s.turns.total} turns (mean ${s.turns.mean.toFixed(1)}, max ${s.turns.max})`,
    `characters: ${s.characters.total} (Chinese ${s.characters.chinese}, other ${s.characters.other}), English words ${s.english_words}`,
    `duplicates: ${s.duplicates.exact} exact, ${s.duplicates.normalized} normalized`,
  ];
  const t = s.tokens;
  if (t && r.model) {
    const p = t.per_sample;
    lines.push(`tokens (${r.model.name}): ${t.total} total; per sample p50 ${p.p50}, p95 ${p.p95}, p99 ${p.p99}, max ${p.max} (mean ${p.mean.toFixed(1)})`);
    const ratio = (v: number | null, what: string) => (v === null ? '' : `${v.toFixed(2)} per ${what}`);
    const ratios = [ratio(t.per_chinese_char, 'Chinese character'), ratio(t.per_english_word, 'English word')].filter(Boolean);
    if (ratios.length) lines.push(`tokens: ${ratios.join(', ')}`);
    const most = Math.max(1, ...t.histogram.counts);
    t.histogram.counts.forEach((n, i) => {
      if (n === 0) return;
      const lo = t.histogram.edges[i]!;
      const hi = t.histogram.edges[i + 1];
      const label = hi === undefined ? `>= ${lo}` : `${lo}-${hi - 1}`;
      lines.push(`  ${label.padStart(13)} ${'#'.repeat(Math.max(1, Math.round((30 * n) / most))).padEnd(30)} ${n}`);
    });
  }
  if (s.label_set) lines.push(...describeLabelSet(s.label_set));
  if (r.advice.length) lines.push('advice:');
  for (const a of r.advice) lines.push(`  ${a.level === 'warning' ? '!' : '-'} ${a.message}`);
  return lines.join('\n');
}

/** A labelling set's labels, one bar each: the balance at a glance. */
export function describeLabelSet(set: LabelSet): string[] {
  const covered = `${(set.covered_share * 100).toFixed(1)}% of rows`;
  const lines = [`labels: ${set.labels.length}, covering ${covered}${set.other_rows ? ` (${set.other_rows} rows answer something else)` : ''}`];
  const most = Math.max(1, ...set.labels.map((l) => l.count));
  const width = Math.min(24, Math.max(...set.labels.map((l) => l.label.length)));
  for (const l of set.labels) {
    const name = JSON.stringify(l.label).slice(1, -1); // a newline in a label stays on its line
    lines.push(`  ${name.padEnd(width)} ${'#'.repeat(Math.max(1, Math.round((30 * l.count) / most))).padEnd(30)} ${l.count} (${(l.share * 100).toFixed(1)}%)`);
  }
  return lines;
}

/** The data a job trains on, for `whet jobs show`: what was drawn from each dataset, and the splits. */
export function describeDataMix(m: JobDataMix): string[] {
  const lines = [`data       seed ${m.seed}: ${m.rows} rows drawn${m.dedup ? `, ${m.duplicates_removed} ${m.dedup} duplicates removed` : ''}; train ${m.train}, validation ${m.validation} (${m.validation_source}), test ${m.test}${m.stratified_by ? `, stratified by ${m.stratified_by}` : ''}`];
  for (const s of m.sources) {
    const how = s.samples !== null ? `samples ${s.samples}` : `weight ${s.weight}`;
    lines.push(`  ${s.dataset_id}  ${how.padEnd(14)} ${s.taken} of ${s.available} rows (${(s.share * 100).toFixed(1)}%)${s.repeated ? ', rows repeated' : ''}  ${s.name}`);
  }
  if (m.paths.test) lines.push(`  test set   ${m.paths.test}`);
  return lines;
}

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
    .description('Upload a dataset file (JSONL, JSON, CSV, Parquet; alpaca, sharegpt or OpenAI chat; MMLU, C-Eval, CMMLU multiple choice)')
    .option('--format <format>', 'name the format instead of detecting it')
    .option('--keep-good-rows', 'keep valid rows of a file with errors (the bad ones are reported and dropped)')
    .option('--name <name>')
    .option('--model <model>', "count tokens with this model's tokenizer while validating (model id or name)")
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      const form = new FormData();
      form.set('file', await openAsBlob(resolve(file)), basename(file));
      if (o.format) form.set('format', o.format);
      if (o.keepGoodRows) form.set('keep_good_rows', 'true');
      if (o.name) form.set('name', o.name);
      if (o.model) form.set('model', o.model);
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
    .command('stats <id>')
    .description("Statistics and advice; with --model, token counts with that model's tokenizer and chat template")
    .option('--model <model>', 'model id or name whose tokenizer counts')
    .option('--max-seq-len <n>', 'how many samples this max_seq_len would cut')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const q = new URLSearchParams();
      if (o.model) q.set('model', o.model);
      if (o.maxSeqLen) q.set('max_seq_len', o.maxSeqLen);
      const qs = q.size ? `?${q}` : '';
      // a large file is counted in the background: each request waits up to 10 s for it
      let report = await api().get<StatsReport>(`/datasets/${encodeURIComponent(id)}/stats${qs}`);
      while (report.status === 'counting') {
        if (!o.json) process.stderr.write('counting tokens...\n');
        report = await api().get<StatsReport>(`/datasets/${encodeURIComponent(id)}/stats${qs}`);
      }
      print(report, o, describeStats);
    });
  data
    .command('qa <document>')
    .description(
      'Draft question-answer pairs from a .txt, .md or .pdf document (a PDF needs a text layer) with a registered model (--model) or an outside endpoint an admin configured (--connection); writes chat JSONL to review, then `whet data upload` it',
    )
    .option('--model <id-or-name>', 'a model registered on the server (or a deployment), called through the server itself')
    .option('--connection <name>', 'an outside OpenAI-compatible endpoint instead (see `whet connections list`)')
    .option('--endpoint-model <name>', "with --connection: the endpoint's model name (default: the connection's)")
    .option('--pairs-per-chunk <n>', 'pairs asked for per chunk', '3')
    .option('--chunk-chars <n>', 'chunk size in characters', '2000')
    .option('--max-chunks <n>', 'chunks sent at most', '100')
    .option('--max-tokens <n>', 'longest reply per chunk, in tokens')
    .option('--temperature <t>', 'sampling temperature (default 0.3; 0 = greedy)')
    .option('--system <prompt>', 'a system prompt put before every pair')
    .option('--out <file>', 'where the pairs go (default: DOCUMENT.qa.jsonl)')
    .action(async (document: string, o) => {
      const form = new FormData();
      form.set('file', await openAsBlob(resolve(document)), basename(document));
      if (o.connection) {
        if (o.model) {
          throw new WhetError('INVALID_REQUEST', "--model names a registered model; with --connection, name the endpoint's model with --endpoint-model", {
            field: 'model',
            hint: 'Either --model M (a model registered here), or --connection NAME [--endpoint-model M] (an outside endpoint an admin configured).',
          });
        }
        form.set('connection', o.connection);
        if (o.endpointModel) form.set('model', o.endpointModel);
      } else {
        if (!o.model || o.endpointModel) {
          throw new WhetError('INVALID_REQUEST', o.model ? '--endpoint-model goes with --connection' : 'no model to draft the pairs with', {
            field: 'model',
            hint: 'Either --model M (a model registered here: see `whet models list`), or --connection NAME [--endpoint-model M] (see `whet connections list`).',
          });
        }
        form.set('model', o.model);
      }
      if (o.maxTokens) form.set('max_tokens', o.maxTokens);
      if (o.temperature) form.set('temperature', o.temperature);
      form.set('pairs_per_chunk', o.pairsPerChunk);
      form.set('chunk_chars', o.chunkChars);
      form.set('max_chunks', o.maxChunks);
      const draft = await api().request<{ pairs: { question: string; answer: string; chunk_index: number }[]; failures: { chunk_index: number; message: string }[]; chunks_used: number }>(
        'POST',
        '/datasets/qa-drafts',
        form,
      );
      const out = resolve(o.out ?? `${document}.qa.jsonl`);
      const rows = draft.pairs.map((p) => ({
        messages: [...(o.system ? [{ role: 'system', content: o.system }] : []), { role: 'user', content: p.question }, { role: 'assistant', content: p.answer }],
      }));
      writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
      console.log(`${draft.pairs.length} pairs from ${draft.chunks_used} chunks written to ${out}${draft.failures.length ? `; ${draft.failures.length} chunks gave none` : ''}`);
      for (const f of draft.failures.slice(0, 10)) console.log(`  chunk ${f.chunk_index}: ${f.message}`);
      console.log(`Review and edit it, then: whet data upload ${out}`);
    });
  data
    .command('delete <id>')
    .action(async (id: string) => print(await api().delete(`/datasets/${id}`), { json: true }));
}
