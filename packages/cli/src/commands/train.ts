import type { Command } from 'commander';
import type { Job, JobPlan } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { followJob } from '../follow-job.ts';
import { describeJob, exitCodeFor } from './jobs.ts';
import { print } from '../output.ts';
import { parseDataOptions } from '../parse-data-options.ts';
import { resolveDatasetRefs } from '../resolve-dataset-refs.ts';

/** `--set key=value` values: numbers stay numbers, "auto" stays a string. */
function parseSet(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`--set expects key=value, got "${p}"`);
    const raw = p.slice(i + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* keep the string */
    }
    out[p.slice(0, i)] = value;
  }
  return out;
}

/** The dry run's estimated training time: "estimated duration: about 12 min (history: ...)". */
function describeEstimate(e: JobPlan['estimate']): string {
  if (e.seconds === null) return `estimated duration: unknown (${e.reason})`;
  const m = e.seconds / 60;
  const about = m < 1.5 ? `${Math.max(1, Math.round(e.seconds))} s` : m < 90 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`;
  return `estimated duration: about ${about} (${e.basis}: ${e.reason})`;
}

/** `resources` from --executor, --processes, --nodes, --gpus-per-process, --strategy and --shared-path; left out when none is given (the server's settings apply). */
function resourcesOption(o: { executor?: string; processes?: number; nodes?: number; gpusPerProcess?: number; strategy?: string; sharedPath?: string }) {
  const r = {
    ...(o.executor !== undefined ? { executor: o.executor } : {}),
    ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
    ...(o.processes !== undefined ? { processes_per_node: o.processes } : {}),
    ...(o.gpusPerProcess !== undefined ? { gpus_per_process: o.gpusPerProcess } : {}),
    ...(o.strategy !== undefined ? { strategy: o.strategy } : {}),
    ...(o.sharedPath !== undefined ? { shared_path: o.sharedPath } : {}),
  };
  return Object.keys(r).length ? { resources: r } : {};
}

const numOrAuto = (v: string) => (v === 'auto' ? 'auto' : Number(v));
const collect = (v: string, previous: string[] = []) => [...previous, v];

export function trainCommand(program: Command, api: () => ApiClient) {
  program
    .command('train')
    .description('Create a fine-tuning job')
    .requiredOption('--model <model>', 'model id or name')
    .requiredOption(
      '--data <dataset>',
      'training dataset id or name; repeat it to mix datasets, each with :w=WEIGHT (share relative to the others) or :n=SAMPLES (exact count), e.g. --data tickets --data general:w=0.2',
      collect,
    )
    .option('--validation-data <dataset>', 'validation dataset id or name')
    .option('--validation-split <split>', 'share of the training data held out for validation when no --validation-data: "auto" (10%, 4 to 1,000 rows, none below 20) or a fraction up to 0.5 (0: none)')
    .option('--test-split <split>', 'share held out as a test set for evaluation, never trained on (a fraction up to 0.5)')
    .option('--dedup <kind>', 'drop repeated samples before splitting: exact or normalized')
    .option('--method <method>', 'sft (instruction chats), pretrain (continued pre-training on raw text), dpo or orpo (preference pairs: a prompt, a chosen and a rejected answer)', 'sft')
    .option('--tuning <tuning>', 'lora, dora, qlora (NVIDIA GPU), full, freeze, ptuning or prefix', 'lora')
    .option('--epochs <n>', 'number or "auto"', numOrAuto)
    .option('--lr <rate>', 'learning rate or "auto"', numOrAuto)
    .option('--batch-size <n>', 'samples per step', numOrAuto)
    .option('--max-seq-len <n>', 'tokens per sample', numOrAuto)
    .option('--max-steps <n>', 'stop after this many steps', Number)
    .option('--set <key=value...>', 'any other hyperparameter, e.g. --set lora_r=16 --set lr_scheduler=linear', [])
    .option('--budget-minutes <n>', 'train this many minutes (pauses and model loading not counted); the schedule ends there', Number)
    .option('--budget-tokens <n>', 'train on this many tokens; the schedule ends there', Number)
    .option('--packing', 'sft: pack short samples padding-free into rows of --max-seq-len tokens (each keeps its own positions), faster when samples are short; not with ptuning or prefix')
    .option('--lr-search', 'try a few learning rates on a slice of the data first, keep the best by eval loss')
    .option('--drop-truncated', 'leave out samples whose answer max_seq_len would cut')
    .option('--executor <executor>', 'where it trains: local (one process), torchrun (several processes through torch\'s launcher), ray (a Ray cluster); default: the server\'s WHET_EXECUTOR')
    .option('--processes <n>', 'worker processes per node (torchrun), e.g. one per GPU', Number)
    .option('--nodes <n>', 'machines taking part (torchrun)', Number)
    .option('--gpus-per-process <n>', '0 trains on CPU (gloo), 1 gives each process a GPU (nccl)', Number)
    .option('--strategy <strategy>', 'ddp (each process holds the whole model) or fsdp (sharded across processes; CUDA GPUs only, not qlora/ptuning/prefix)')
    .option('--shared-path <folder>', 'an absolute folder every node and the server see (NFS...): the job\'s spec, data, checkpoints and result go under <folder>/<job id>/')
    .option('--name <name>')
    .option('--follow', 'stream progress until the job stops')
    .option('--dry-run', 'validate and resolve every "auto" value with its reason; create nothing')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const data = await resolveDatasetRefs(api(), parseDataOptions(o));
      const hyperparameters: Record<string, unknown> = parseSet(o.set);
      if (o.epochs !== undefined) hyperparameters.epochs = o.epochs;
      if (o.lr !== undefined) hyperparameters.learning_rate = o.lr;
      if (o.batchSize !== undefined) hyperparameters.batch_size = o.batchSize;
      if (o.maxSeqLen !== undefined) hyperparameters.max_seq_len = o.maxSeqLen;
      if (o.maxSteps !== undefined) hyperparameters.max_steps = o.maxSteps;
      if (o.packing) hyperparameters.packing = true;
      if (o.lrSearch) hyperparameters.lr_search = true;
      const body = {
        model: o.model,
        ...data,
        method: o.method,
        tuning: o.tuning,
        hyperparameters: Object.keys(hyperparameters).length ? hyperparameters : 'auto',
        ...(o.name ? { name: o.name } : {}),
        ...(o.budgetMinutes !== undefined ? { budget: { minutes: o.budgetMinutes } } : o.budgetTokens !== undefined ? { budget: { tokens: o.budgetTokens } } : {}),
        ...(o.dropTruncated ? { drop_truncated: true } : {}),
        ...resourcesOption(o),
      };
      if (o.dryRun) {
        const plan = await api().post<JobPlan>('/jobs?dry_run=true', body);
        print(plan, o, (j) => `dry run: nothing was created\n${describeJob(j)}\n${describeEstimate(j.estimate)}`);
        return;
      }
      const job = await api().post<Job>('/jobs', body);
      print(job, o, (j) => `created ${j.id}\n${describeJob(j)}`);
      if (o.follow) {
        const done = await followJob(api(), job.id);
        console.log(`\n${describeJob(done)}`);
        process.exitCode = exitCodeFor(done);
      }
    });
}
