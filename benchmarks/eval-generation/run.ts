// Batched generation (`python -m whet_worker generate`, batch 16, left-padded) against one row
// at a time, on the same prompts, in the same run: the speed-up and whether the answers are
// token-identical. Then few-shot prompting (k examples before every row): the shared prefix's KV
// cache computed once against plain left-padded batches, same prompts, same run. Prints the
// figures, then one JSON line. See README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';
import { ensureTinyModel } from '../../test-support/tiny-model.ts';

const ROWS = Number(process.env.GEN_BENCH_ROWS ?? 32);
const MAX_TOKENS = Number(process.env.GEN_BENCH_TOKENS ?? 16);
const SHOTS = Number(process.env.GEN_BENCH_SHOTS ?? 4);
const BATCH = 16;
const DEMO = join(REPO_ROOT, '.cache/demo-model/SmolLM2-135M-Instruct');
const useDemo = process.env.GEN_BENCH_MODEL === 'demo';
if (useDemo && !existsSync(join(DEMO, 'config.json'))) throw new Error(`GEN_BENCH_MODEL=demo but ${DEMO} is missing (see README.md)`);
const model = useDemo ? DEMO : ensureTinyModel();

const QUESTIONS = ['What is two plus two?', '中国的首都是哪里？', 'Name a primary color.', 'How many legs does a spider have?', 'Explain fine-tuning in one sentence.', 'What is the capital of France?', '请用一句话介绍机器学习。', 'Why is the sky blue?'];
// Few-shot examples shaped like training rows: a question and a one- or two-sentence answer.
const EXAMPLES = [
  ['What is the boiling point of water at sea level?', 'Water boils at 100 degrees Celsius (212 degrees Fahrenheit) at sea level.'],
  ['北京是哪个国家的首都？', '北京是中华人民共和国的首都，也是全国的政治和文化中心。'],
  ['Summarize what a neural network is.', 'A neural network is a stack of simple learned functions whose weights are fitted to examples by gradient descent.'],
  ['How many continents are there?', 'There are seven continents: Africa, Antarctica, Asia, Australia, Europe, North America and South America.'],
  ['什么是过拟合？', '过拟合是指模型记住了训练数据的细节和噪声，在新数据上的表现反而变差。'],
  ['Translate "good morning" into French.', 'Bonjour.'],
  ['Why do we split data into train and test sets?', 'To measure how the model does on examples it has not seen, which is what matters in use.'],
  ['What does a learning rate control?', 'How far each optimizer step moves the weights: too high diverges, too low learns slowly.'],
];
const fewShot = EXAMPLES.slice(0, SHOTS).flatMap(([q, a]) => [{ role: 'user', content: q }, { role: 'assistant', content: a }]);
const dir = mkdtempSync(join(tmpdir(), 'whet-bench-gen-'));
try {
  const prompts = join(dir, 'prompts.jsonl');
  writeFileSync(prompts, Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: i, messages: [{ role: 'user', content: `${QUESTIONS[i % QUESTIONS.length]} (${i})` }] })).join('\n') + '\n');

  const runOnce = (batch: number, opts: { shots?: boolean; prefixCache?: boolean } = {}) => {
    const name = `${batch}-${opts.shots ? 'shots' : 'zero'}-${opts.prefixCache ? 'cached' : 'plain'}`;
    const output = join(dir, `out-${name}.jsonl`);
    const spec = join(dir, `spec-${name}.json`);
    writeFileSync(spec, JSON.stringify({
      version: 1, command: 'generate', model: { path: model, chat_template: null }, input_path: prompts, output_path: output,
      // A repetition penalty keeps the random tiny model's greedy answers varied; deterministic either way.
      generation: { max_tokens: MAX_TOKENS, temperature: 0, top_p: 1, top_k: 0, repetition_penalty: useDemo ? 1 : 1.5, seed: 0 },
      batch_size: batch, device: 'cpu', threads: 1,
      few_shot: opts.shots ? fewShot : [], prefix_cache: opts.prefixCache ?? false,
    }));
    const r = spawnSync(VENV_PYTHON, ['-m', 'whet_worker', 'generate', spec], { cwd: join(REPO_ROOT, 'worker'), encoding: 'utf8' });
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const done = events.find((e) => e.type === 'generated');
    if (r.status !== 0 || !done) throw new Error(`generate (batch ${batch}) failed: ${r.stdout.slice(-1000)} ${r.stderr.slice(-2000)}`);
    const cachedPrefix = events.some((e) => e.type === 'log' && /share a prefix of .* computed once/.test(e.message));
    const promptTokens = done.prompt_tokens as number;
    const answers = readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).prediction as string);
    return { seconds: done.generate_runtime_s as number, tokens: done.completion_tokens as number, promptTokens, cachedPrefix, answers };
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

  // Few-shot: the same prompts with SHOTS examples before each, batch 16, prefix cache off then on.
  const plainShots = runOnce(BATCH, { shots: true, prefixCache: false });
  const cachedShots = runOnce(BATCH, { shots: true, prefixCache: true });
  if (!cachedShots.cachedPrefix) throw new Error('the prefix-cache run did not use the shared prefix (no "share a prefix" log)');
  const prefixTokens = Math.round(plainShots.promptTokens / ROWS);
  console.log(`${SHOTS}-shot (about ${prefixTokens} prompt tokens a row), batch ${BATCH}, plain: ${plainShots.seconds.toFixed(2)} s, ${Math.round(plainShots.tokens / plainShots.seconds)} tokens/s`);
  console.log(`${SHOTS}-shot, batch ${BATCH}, shared prefix cached: ${cachedShots.seconds.toFixed(2)} s, ${Math.round(cachedShots.tokens / cachedShots.seconds)} tokens/s`);
  const shotDiffering = cachedShots.answers.filter((a, i) => a !== plainShots.answers[i]).length;
  const shotSpeedup = plainShots.seconds / cachedShots.seconds;
  console.log(`few-shot speed-up (same rows, same tokens): ${shotSpeedup.toFixed(1)}x; answers identical: ${shotDiffering === 0} (${shotDiffering} of ${ROWS} differ)`);
  console.log(JSON.stringify({
    benchmark: 'eval-generation', model: useDemo ? 'SmolLM2-135M-Instruct' : 'tiny', rows: ROWS, max_tokens: MAX_TOKENS, batch: BATCH,
    batched_tokens_per_s: Math.round(batched.tokens / batched.seconds), single_tokens_per_s: Math.round(single.tokens / single.seconds),
    speedup: Math.round(speedup * 100) / 100, identical, differing,
    few_shot: SHOTS, few_shot_prompt_tokens: prefixTokens, few_shot_plain_s: plainShots.seconds, few_shot_cached_s: cachedShots.seconds,
    few_shot_speedup: Math.round(shotSpeedup * 100) / 100, few_shot_identical: shotDiffering === 0, few_shot_differing: shotDiffering,
    goals_met: identical && speedup >= 4 && shotDiffering === 0,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
