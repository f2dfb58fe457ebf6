// Multiple-choice scoring speed: `python -m whet_worker score-choices` against EleutherAI's
// lm-evaluation-harness (its own evaluator, HFLM, offline on local task files) on the same
// MMLU-style file, the same model and batch size, in the same run: questions per second
// (scoring only, model loading excluded for both) and whether every pick is identical.
// Prints the figures, then one JSON line. See README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';
import { ensureTinyModel } from '../../test-support/tiny-model.ts';

const QUESTIONS = Number(process.env.MC_BENCH_QUESTIONS ?? 200);
const SHOTS = Number(process.env.MC_BENCH_SHOTS ?? 5);
const BATCH = Number(process.env.MC_BENCH_BATCH ?? 16);
const DEMO = join(REPO_ROOT, '.cache/demo-model/SmolLM2-135M-Instruct');
const useTiny = process.env.MC_BENCH_MODEL === 'tiny';
if (!useTiny && !existsSync(join(DEMO, 'config.json'))) throw new Error(`${DEMO} is missing: run npm start once (or MC_BENCH_MODEL=tiny)`);
const model = useTiny ? ensureTinyModel() : DEMO;

// An MMLU-shaped file: four subjects, questions of varied length, four choices, a dev set of SHOTS rows a subject.
const SUBJECTS = ['high_school_physics', 'world_religions', 'astronomy', 'college_biology'];
const WORDS = 'light mass orbit temple prayer comet force star energy wave cell gene protein planet gravity ritual scripture'.split(' ');
let seed = 7;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n)); // high bits: an LCG's low bits cycle
const phrase = (min: number, max: number) => Array.from({ length: min + rand(max - min + 1) }, () => WORDS[rand(WORDS.length)]).join(' ');
const row = (subject: string) => ({ question: `${phrase(6, 30)}?`, choices: [phrase(1, 6), phrase(1, 6), phrase(1, 6), phrase(1, 6)], answer_index: rand(4), subject });

const dir = mkdtempSync(join(tmpdir(), 'whet-bench-mc-'));
try {
  const questions = join(dir, 'test.jsonl');
  const dev = join(dir, 'dev.jsonl');
  const lines = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  // Grouped by subject as MMLU's files are: question i belongs to subject floor(i * subjects / QUESTIONS).
  writeFileSync(questions, lines(Array.from({ length: QUESTIONS }, (_, i) => row(SUBJECTS[Math.floor((i * SUBJECTS.length) / QUESTIONS)]!))));
  writeFileSync(dev, lines(SUBJECTS.flatMap((s) => Array.from({ length: SHOTS }, () => row(s)))));
  const n = readFileSync(questions, 'utf8').trim().split('\n').length;

  const output = join(dir, 'ours.jsonl');
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ version: 1, command: 'score-choices', model: { path: model, chat_template: null }, adapter: null, questions_path: questions, fewshot_path: dev, output_path: output, num_fewshot: SHOTS, template: 'mmlu', method: 'loglikelihood', batch_size: BATCH, device: 'cpu' }));
  const worker = join(REPO_ROOT, 'worker');
  const ours = spawnSync(VENV_PYTHON, ['-m', 'whet_worker', 'score-choices', spec], { cwd: worker, encoding: 'utf8' });
  const scored = ours.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'choices_scored');
  if (ours.status !== 0 || !scored) throw new Error(`score-choices failed: ${ours.stdout.slice(-1000)} ${ours.stderr.slice(-2000)}`);
  const ourPicks = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l).pred as number);

  const harness = spawnSync(VENV_PYTHON, [join(REPO_ROOT, 'benchmarks/benchmark-eval/harness_run.py'), model, questions, dev, String(SHOTS), String(BATCH)], { cwd: worker, encoding: 'utf8', env: { ...process.env, PYTHONPATH: worker } });
  const last = harness.stdout.trim().split('\n').at(-1) ?? '';
  if (harness.status !== 0 || !last.startsWith('{')) throw new Error(`lm-evaluation-harness failed: ${harness.stderr.slice(-2000)}`);
  const ref = JSON.parse(last) as { seconds: number; picks: number[] };

  const oursQps = n / scored.score_runtime_s;
  const harnessQps = n / ref.seconds;
  const differing = ourPicks.filter((p, i) => p !== ref.picks[i]).length;
  console.log(`${useTiny ? 'tiny fixture model' : 'demo model SmolLM2-135M-Instruct'}, ${n} MMLU-style questions, ${SHOTS}-shot from a dev file, batch ${BATCH}, CPU`);
  console.log(`score-choices: ${scored.score_runtime_s.toFixed(1)} s, ${oursQps.toFixed(2)} questions/s (acc ${(scored.acc * 100).toFixed(1)}%)`);
  console.log(`lm-evaluation-harness 0.4.13: ${ref.seconds.toFixed(1)} s, ${harnessQps.toFixed(2)} questions/s`);
  console.log(`speed-up: ${(oursQps / harnessQps).toFixed(2)}x; picks identical: ${differing === 0} (${differing} of ${n} differ)`);
  console.log(JSON.stringify({ benchmark: 'benchmark-eval', model: useTiny ? 'tiny' : 'SmolLM2-135M-Instruct', questions: n, shots: SHOTS, batch: BATCH, ours_questions_per_sec: +oursQps.toFixed(3), harness_questions_per_sec: +harnessQps.toFixed(3), speedup: +(oursQps / harnessQps).toFixed(3), picks_identical: differing === 0, differing }));
  if (differing) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
