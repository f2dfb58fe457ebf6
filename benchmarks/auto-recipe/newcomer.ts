// The newcomer's first job (issue 16): the demo model (SmolLM2-135M-Instruct) on the demo data
// (demo/demo-chat.jsonl, 48 chats), LoRA with every other value left to "auto", exactly what
// `whet train --model SmolLM2-135M-Instruct --data demo-chat --tuning lora` sends, then our own
// diagnosis of the run (GET /jobs/:id/diagnosis).
// Env: NEWCOMER_RUNS (comma-separated: "auto", "old"; default "auto"): "old" is the defaults before
// issue 16 (batch 4, no accumulation, lr 5.4e-4, warm-up 3%, 15 epochs, r8/alpha16, no validation
// split, no early stopping), set explicitly so both are measured by the same code in the same run.
// NEWCOMER_RECORD=path writes the auto run's metric series there (a diagnosis test fixture).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { apiAt } from '../../test-support/api-client.ts';
import { REPO_ROOT } from '../../test-support/paths.ts';
import { tempHome, testServer } from '../../test-support/server.ts';

const DEMO = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
const DATA = join(REPO_ROOT, 'demo', 'demo-chat.jsonl');
const RUNS = (process.env.NEWCOMER_RUNS ?? 'auto').split(',');

const OLD_DEFAULTS = {
  hyperparameters: { epochs: 15, learning_rate: 5.4e-4, batch_size: 4, gradient_accumulation_steps: 1, warmup_ratio: 0.03, lora_r: 8, lora_alpha: 16, early_stopping_patience: 0 },
  validation_split: 0,
};

export async function runNewcomer(): Promise<void> {
  const { home, cleanup } = tempHome('whet-newcomer-');
  const server = await testServer(home);
  const results: Record<string, unknown>[] = [];
  try {
    const api = apiAt(server.url);
    const model = (await api.post('/models', { path: DEMO, name: 'SmolLM2-135M-Instruct' })).body;
    const dataset = (await api.upload(DATA)).body;
    for (const run of RUNS) {
      const body = { model: model.id, dataset: dataset.id, tuning: 'lora', ...(run === 'old' ? OLD_DEFAULTS : { hyperparameters: 'auto' }) };
      const t0 = performance.now();
      const created = await api.post('/jobs', body);
      if (created.status !== 201) throw new Error(`${run}: ${JSON.stringify(created.body)}`);
      const events = await api.events(created.body.id);
      const job = (await api.get(`/jobs/${created.body.id}`)).body;
      if (job.status !== 'succeeded') throw new Error(`${run} job ${job.status}: ${JSON.stringify(job.error)}`);
      const diagnosis = (await api.get(`/jobs/${job.id}/diagnosis`)).body;
      const progress = events.filter((e) => e.type === 'progress');
      const evals = events.filter((e) => e.type === 'eval').map((e) => e.eval_loss as number);
      const result = events.find((e) => e.type === 'result');
      const plan = events.find((e) => e.type === 'plan');
      const value = (k: string) => job.resolved?.[k]?.value ?? null;
      const row = {
        run,
        verdict: diagnosis.verdict,
        summary: diagnosis.summary,
        train_samples: plan?.train_samples ?? null,
        eval_samples: plan?.eval_samples ?? null,
        updates: job.progress.step,
        planned_updates: plan?.total_steps ?? null,
        epochs: job.progress.epoch,
        first_loss: progress[0]?.loss ?? null,
        losses_first_20: progress.slice(0, 20).map((e) => +(e.loss as number).toFixed(3)),
        final_train_loss: progress.at(-1)?.loss ?? null,
        eval_loss: evals.length ? { first: evals[0], best: Math.min(...evals), last: evals.at(-1) } : null,
        best_step: result?.best_step ?? null,
        stopped_early: result?.stopped_early ?? null,
        resolved: Object.fromEntries(
          ['learning_rate', 'batch_size', 'gradient_accumulation_steps', 'warmup_steps', 'warmup_ratio', 'epochs', 'lora_r', 'lora_alpha', 'early_stopping_patience'].map((k) => [k, value(k)]),
        ),
        wall_s: Math.round((performance.now() - t0) / 1000),
        load_average: +loadavg()[0].toFixed(1),
      };
      results.push(row);
      if (process.env.NEWCOMER_RECORD && run === 'auto') {
        // The real curve, for the diagnosis tests (packages/eval/src/diagnosis/fixtures).
        const series = (await api.get(`/jobs/${job.id}/metrics?names=loss,eval_loss,grad_norm,learning_rate`)).body.data.map((p: any) => ({ step: p.step, name: p.name, value: p.value }));
        const meta = { regime: 'newcomer', model: 'SmolLM2-135M-Instruct', data: 'demo/demo-chat.jsonl', recorded_with: 'benchmarks/auto-recipe/newcomer.ts', date: new Date().toISOString(), resolved: row.resolved, stopped_early: row.stopped_early };
        writeFileSync(process.env.NEWCOMER_RECORD, `{"meta": ${JSON.stringify(meta)},\n"series": [\n${series.map((p: unknown) => JSON.stringify(p)).join(',\n')}\n]}\n`);
      }
      console.log(`${run}: ${row.verdict} (${row.summary})`);
      console.log(`  ${row.updates} updates, ${row.epochs?.toFixed?.(2)} epochs, loss ${row.first_loss} -> ${row.final_train_loss}, eval ${JSON.stringify(row.eval_loss)}, ${row.wall_s} s`);
    }
    console.log(JSON.stringify({ benchmark: 'auto-recipe-newcomer', date: new Date().toISOString(), runs: results }));
  } finally {
    await server.close();
    cleanup();
  }
}
