import type { Command } from 'commander';
import { isEvaluationFinished, WhetError, type Evaluation, type EvaluationCreateInput, type EvaluationModelRef, type EvaluationSample } from '@whetstone/core';
import { METRIC_KEYS, scoreFile, summarizeScores } from '@whetstone/eval';
import type { ApiClient } from '../client.ts';
import { followEvaluation } from '../follow-evaluation.ts';
import { describeEvaluation } from '../describe-evaluation.ts';
import { describeSampleJudge } from '../describe-judge.ts';
import { judgeFromFlags } from '../parse-judge-options.ts';
import { evalJudgeCommand, withJudgeOptions } from './eval-judge.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

/**
 * One `--models` item: `NAME` (a registered model), `job_ID` or `job_ID@STEP` (a job's result or
 * checkpoint), `https://host/v1#MODEL` (an OpenAI-compatible endpoint); `:Kshot` adds k few-shot
 * examples, `=LABEL` names the column; endpoints get `opts.concurrency` requests in flight. E.g. `smollm2:3shot=prompting,job_abc=fine-tuned`.
 */
export function parseModelItem(item: string, opts: { concurrency?: number } = {}): EvaluationModelRef {
  let rest = item.trim();
  let label: string | undefined;
  const eq = rest.lastIndexOf('=');
  if (eq > 0 && !rest.slice(eq).includes('/')) [rest, label] = [rest.slice(0, eq), rest.slice(eq + 1)];
  let fewShot = 0;
  const shot = /:(\d+)shot$/.exec(rest);
  if (shot) {
    fewShot = Number(shot[1]);
    rest = rest.slice(0, shot.index);
  }
  const common = { ...(label ? { label } : {}), few_shot: fewShot };
  if (rest.startsWith('conn:')) {
    // conn:NAME or conn:NAME#MODEL: an outside endpoint an admin configured (`whet connections list`).
    const [connection, model] = rest.slice('conn:'.length).split('#', 2) as [string, string | undefined];
    if (!connection) throw new WhetError('INVALID_REQUEST', `"${rest}" names no connection`, { hint: 'Write it as conn:NAME or conn:NAME#MODEL (see `whet connections list`).', field: 'models' });
    return { kind: 'endpoint', connection, ...(model ? { model } : {}), timeout_s: 60, concurrency: opts.concurrency ?? 4, ...common };
  }
  if (/^https?:\/\//.test(rest)) {
    throw new WhetError('INVALID_REQUEST', `"${rest}": outside endpoints are named by connection, not by URL`, {
      hint: 'Ask an admin to add it (`whet connections add NAME --base-url URL --api-key-stdin`), then use conn:NAME#MODEL.',
      field: 'models',
    });
  }
  const job = /^(job_[A-Za-z0-9]+)(?:@(\d+))?$/.exec(rest);
  if (job) return { kind: 'job', job_id: job[1], ...(job[2] ? { checkpoint_step: Number(job[2]) } : {}), ...common };
  if (!rest) throw new WhetError('INVALID_REQUEST', `empty model in --models "${item}"`, { field: 'models' });
  return { kind: 'model', model_id: rest, ...common };
}

const fmt = (x: number) => x.toFixed(2);

function describeSamples(samples: EvaluationSample[]): string {
  return samples
    .map((s) =>
      [
        `#${s.index}  ${s.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''}`,
        `  reference: ${s.reference}`,
        ...s.outputs.map((o) => `  ${o.label}: ${o.error ? `[${o.error.code}]` : JSON.stringify(o.prediction)}${o.scores ? `  bleu-4 ${fmt(o.scores['bleu-4'])} em ${o.scores.exact_match}` : ''}`),
        ...(s.judge ? describeSampleJudge(s.judge) : []),
      ].join('\n'),
    )
    .join('\n');
}

const SILENT = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;

/** `whet eval ...`: `score` computes locally (no server); `run` and `show` talk to the server. */
export function evalCommands(program: Command, api: () => ApiClient) {
  const evals = program.command('eval').description('Score predictions; evaluate models side by side');
  evals
    .command('score <file>')
    .description(
      'Score a JSONL file of {"prediction": "...", "reference": "..."} lines locally: BLEU-4 and ROUGE-1/2/L as LLaMA-Factory reports them, ' +
        'sacrebleu corpus BLEU (13a, zh) and exact match, each 0 to 100',
    )
    .option('--case-sensitive', 'exact match keeps letter case')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: { json?: boolean; caseSensitive?: boolean }) => {
      const scores = await scoreFile(file, { perSample: false, caseSensitive: o.caseSensitive });
      print(summarizeScores(scores), o, (s) =>
        [`${scores.count} pairs from ${file}`, table(METRIC_KEYS.map((k) => ({ metric: k, score: s[k].toFixed(4) })), ['metric', 'score'])].join('\n'),
      );
    });
  withJudgeOptions(evals.command('run'))
    .description('Evaluate models on a test set: --models tiny,tiny:3shot=prompting,job_abc,job_abc@40,https://host/v1#gpt-4o-mini')
    .requiredOption('--models <list>', 'comma-separated; see above')
    .option('--data <dataset>', 'the test set (a dataset id)')
    .option('--job <job>', "use this job's held-out split as the test set (and its training data for few-shot)")
    .option('--few-shot-data <dataset>', 'where few-shot examples come from')
    .option('--baseline <n>', 'index of the column deltas are taken against', Number, 0)
    .option('--max-tokens <n>', 'per answer', Number, 256)
    .option('--temperature <t>', '0 = greedy', Number, 0)
    .option('--top-p <p>', '', Number, 1)
    .option('--seed <n>', '', Number, 0)
    .option('--limit <n>', 'the first N rows only', Number)
    .option('--labels <list>', 'a classification label set, comma-separated: reports label accuracy, per-label precision/recall/F1, macro-F1 and a confusion matrix')
    .option('--constrain-to-labels', "constrain the answers of every model and job column to --labels (each answer is a label)")
    .option('--batch-size <n>', 'rows decoded together', Number, 16)
    .option('--concurrency <n>', 'requests in flight at once to each endpoint column', Number, 4)
    .option('--name <name>')
    .option('--follow', 'stream progress (a bar) until it finishes, then show the comparison')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const body: EvaluationCreateInput = {
        ...(o.name ? { name: o.name } : {}),
        ...(o.data ? { dataset_id: o.data } : {}),
        ...(o.job ? { job_id: o.job } : {}),
        ...(o.fewShotData ? { few_shot_dataset_id: o.fewShotData } : {}),
        models: String(o.models)
          .split(',')
          .filter(Boolean)
          .map((m) => parseModelItem(m, { concurrency: o.concurrency }))
          .map((ref) => (o.constrainToLabels && ref.kind !== 'endpoint' ? { ...ref, constrain_to_labels: true } : ref)),
        baseline: o.baseline,
        generation: { max_tokens: o.maxTokens, temperature: o.temperature, top_p: o.topP, seed: o.seed },
        ...(o.limit ? { limit: o.limit } : {}),
        ...(o.labels ? { labels: String(o.labels).split(',').map((l: string) => l.trim()).filter(Boolean) } : {}),
        batch_size: o.batchSize,
      };
      const judge = judgeFromFlags(o);
      if (judge) body.judge = judge;
      let e = await api().post<Evaluation>('/evaluations', body);
      if (!o.json) console.log(`created ${e.id}: ${e.models.length} models x ${e.dataset.rows} rows`);
      if (!o.follow) return print(e, { json: o.json }, (x) => describeEvaluation(x));
      // --json prints only the final object: the stream's progress goes nowhere.
      e = await followEvaluation(api(), e.id, o.json ? SILENT : process.stdout);
      print(e, { json: o.json }, describeEvaluation);
      process.exitCode = e.status === 'succeeded' ? 0 : 1;
    });
  evalJudgeCommand(evals, api);
  evals
    .command('cancel <id>')
    .description('Stop a queued or running evaluation, or the judge pass running on one; the models that finished keep their scores')
    .option('--wait', 'wait until it has stopped (its worker gone), then show it')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      let e = await api().post<Evaluation>(`/evaluations/${id}/cancel`);
      const stopping = (x: Evaluation) => !isEvaluationFinished(x.status) || (x.judge != null && !isEvaluationFinished(x.judge.status));
      while (o.wait && stopping(e)) {
        await new Promise((r) => setTimeout(r, 300));
        e = await api().get<Evaluation>(`/evaluations/${id}`);
      }
      print(e, o, (x) => (stopping(x) ? `${x.id}: cancel requested (status ${x.status}); it ends cancelled once its worker has stopped` : describeEvaluation(x)));
    });
  evals
    .command('delete <id>')
    .description('Delete an evaluation with its samples and files (refused while it runs: cancel it first)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().delete<{ id: string; deleted: true }>(`/evaluations/${id}`), o, (r) => `deleted ${r.id}`));
  evals
    .command('show <id>')
    .description('The comparison table (deltas against the baseline); --samples N shows per-sample answers')
    .option('--samples <n>', 'also show N samples', Number)
    .option('--sort <order>', 'index | worst | disagreement', 'worst')
    .option('--label <label>', 'the column --sort worst ranks by (default: the last)')
    .option('--disagree', 'only samples where the models disagree on exact match')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const e = await api().get<Evaluation>(`/evaluations/${id}`);
      if (!o.samples) return print(e, o, describeEvaluation);
      const q = new URLSearchParams({ sort: o.sort, limit: String(o.samples), ...(o.label ? { label: o.label } : {}), ...(o.disagree ? { disagree: '1' } : {}) });
      const s = await api().get<{ data: EvaluationSample[]; total: number }>(`/evaluations/${id}/samples?${q}`);
      print({ ...e, samples: s.data }, o, () => `${describeEvaluation(e)}\n\n${s.total} samples${o.disagree ? ' where models disagree' : ''}, ${o.sort} first:\n${describeSamples(s.data)}`);
    });
}
