// Batched generation (`python -m whet_worker generate`, batch 16, left-padded) against one row
// at a time, on the same prompts, in the same run: the speed-up and whether the answers are
// token-identical. Prints the figures, then one JSON line. See README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';
import { ensureTinyModel } from '../../test-support/tiny-model.ts';

const ROWS = Number(process.env.GEN_BENCH_ROWS ?? 32);
const MAX_TOKENS = Number(process.env.GEN_BENCH_TOKENS ?? 16);
const BATCH = 16;
const DEMO = join(REPO_ROOT, '.cache/demo-model/SmolLM2-135M-Instruct');
const useDemo = process.env.GEN_BENCH_MODEL === 'demo';
if (useDemo && !existsSync(join(DEMO, 'config.json'))) throw new Error(`GEN_BENCH_MODEL=demo but ${DEMO} is missing (see README.md)`);
const model = useDemo ? DEMO : ensureTinyModel();

const QUESTIONS = ['What is two plus two?', '中国的首都是哪里？', 'Name a primary color.', 'How many legs does a spider have?', 'Explain fine-tuning in one sentence.', 'What is the capital of France?', '请用一句话介绍机器学习。', 'Why is the sky blue?'];
const dir = mkdtempSync(join(tmpdir(), 'whet-bench-gen-'));
try {
  const prompts = join(dir, 'prompts.jsonl');
  writeFileSync(prompts, Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: i, messages: [{ role: 'user', content: `${QUESTIONS[i % QUESTIONS.length]} (${i})` }] })).join('\n') + '\n');

  const runOnce = (batch: number) => {
    const output = join(dir, `out-${batch}.jsonl`);
    const spec = join(dir, `spec-${batch}.json`);
    writeFileSync(spec, JSON.stringify({
      version: 1, command: 'generate', model: { path: model, chat_template: null }, input_path: prompts, output_path: output,
      // A repetition penalty keeps the random tiny model's greedy answers varied; deterministic either way.
      generation: { max_tokens: MAX_TOKENS, temperature: 0, top_p: 1, top_k: 0, repetition_penalty: useDemo ? 1 : 1.5, seed: 0 },
      batch_size: batch, device: 'cpu', threads: 1,
    }));
    const r = spawnSync(VENV_PYTHON, ['-m', 'whet_worker', 'generate', spec], { cwd: join(REPO_ROOT, 'worker'), encoding: 'utf8' });
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const done = events.find((e) => e.type === 'generated');
    if (r.status !== 0 || !done) throw new Error(`generate (batch ${batch}) failed: ${r.stdout.slice(-1000)} ${r.stderr.slice(-2000)}`);
    const answers = readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).prediction as string);
    return { seconds: done.generate_runtime_s as number, tokens: done.completion_tokens as number, answers };
  };

  console.log(`${useDemo ? 'demo model SmolLM2-135M-Instruct' : 'tiny fixture model'}, ${ROWS} chat prompts, up to ${MAX_TOKENS} new tokens each, CPU, 1 thread`);
  const batched = runOnce(BATCH);
  console.log(`batch ${BATCH}: ${batched.seconds.toFixed(2)} s, ${batched.tokens} tokens, ${Math.round(batched.tokens / batched.seconds)} tokens/s`);
  const single = runOnce(1);
  console.log(`one at a time: ${single.seconds.toFixed(2)} s, ${single.tokens} tokens, ${Math.round(single.tokens / single.seconds)} tokens/s`);
  const identical = batched.answers.every((a, i) => a === single.answers[i]);
  const differing = batched.answers.filter((a, i) => a !== single.answers[i]).length;
  const speedup = (batched.tokens / batched.seconds) / (single.tokens / single.seconds);
  console.log(`speed-up in tokens/s: ${speedup.toFixed(1)}x (goal >= 4x); answers identical: ${identical} (${differing} of ${ROWS} differ)`);
  console.log(JSON.stringify({
    benchmark: 'eval-generation', model: useDemo ? 'SmolLM2-135M-Instruct' : 'tiny', rows: ROWS, max_tokens: MAX_TOKENS, batch: BATCH,
    batched_tokens_per_s: Math.round(batched.tokens / batched.seconds), single_tokens_per_s: Math.round(single.tokens / single.seconds),
    speedup: Math.round(speedup * 100) / 100, identical, differing, goals_met: identical && speedup >= 4,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
