// Metric speed and parity: packages/eval against the Python reference libraries (jieba, nltk,
// rouge-chinese, sacrebleu; LLaMA-Factory's convention) on the same 10,000 generated pairs in the
// same run. Prints the figures, then one JSON line. See README.md.
import { cpus } from 'node:os';

import { METRIC_KEYS, scorePairs } from '@whetstone/eval';
import { generatePairs, hasReferencePython, runReference } from '@whetstone/eval/testing';
import { loadJiebaModel } from '../../packages/eval/src/jieba/jieba-model.ts';

const COUNT = Number(process.env.EVAL_BENCH_PAIRS ?? 10_000);
const PER_SAMPLE_KEYS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'exact_match'] as const;

const pairs = generatePairs(COUNT);
const chars = pairs.reduce((n, p) => n + p.prediction.length + p.reference.length, 0);
console.log(`${COUNT} pairs, ${(chars / COUNT).toFixed(0)} characters per pair on average, ${cpus().length} cores`);

let t = performance.now();
loadJiebaModel();
const loadS = (performance.now() - t) / 1000;
t = performance.now();
const ours = scorePairs(pairs);
const scoreS = (performance.now() - t) / 1000;
const oursS = loadS + scoreS;
console.log(`packages/eval: ${oursS.toFixed(2)} s (jieba dictionary ${loadS.toFixed(2)} s, scoring ${scoreS.toFixed(2)} s), ${Math.round(COUNT / scoreS)} pairs/s`);

if (!hasReferencePython()) {
  console.log('Python reference: skipped, no .venv (run npm run setup)');
  console.log(JSON.stringify({ benchmark: 'eval-metrics', pairs: COUNT, ts_seconds: round(oursS), python_seconds: null, speedup: null, identical: null, goals_met: false }));
  process.exit(1);
}

const ref = await runReference(pairs);
const pyS = ref.seconds.metrics; // jieba.initialize() + per-sample scores + sacrebleu, imports excluded
console.log(
  `Python reference: ${pyS.toFixed(2)} s (jieba init ${ref.seconds.jieba_init.toFixed(2)} s, per-sample ${ref.seconds.samples.toFixed(2)} s, ` +
    `sacrebleu ${ref.seconds.sacrebleu.toFixed(2)} s), ${Math.round(COUNT / ref.seconds.samples)} pairs/s; process wall ${ref.wall_seconds.toFixed(2)} s`,
);

let differing = 0;
let maxDiff = 0;
pairs.forEach((_, i) => {
  for (const k of PER_SAMPLE_KEYS) {
    const d = Math.abs(ours.per_sample[i][k] - ref.per_sample[i][k]);
    if (d !== 0) differing += 1;
    maxDiff = Math.max(maxDiff, d);
  }
});
const corpus: Record<string, { ours: number; python: number }> = {};
for (const k of METRIC_KEYS) {
  corpus[k] = { ours: ours[k], python: ref.aggregate[k] };
  maxDiff = Math.max(maxDiff, Math.abs(ours[k] - ref.aggregate[k]));
  console.log(`  ${k.padEnd(14)} ours ${String(ours[k]).padEnd(20)} python ${ref.aggregate[k]}`);
}
const identical = differing === 0 && METRIC_KEYS.every((k) => ours[k] === ref.aggregate[k]);
const speedup = pyS / oursS;
console.log(`per-sample values that differ: ${differing} of ${COUNT * PER_SAMPLE_KEYS.length}; corpus metrics identical: ${identical}`);
console.log(`speed: ${speedup.toFixed(1)}x the Python reference (goal >= 3x); end to end with process start ${(ref.wall_seconds / oursS).toFixed(1)}x`);

console.log(
  JSON.stringify({
    benchmark: 'eval-metrics',
    pairs: COUNT,
    ts_seconds: round(oursS),
    ts_pairs_per_s: Math.round(COUNT / scoreS),
    python_seconds: round(pyS),
    python_pairs_per_s: Math.round(COUNT / ref.seconds.samples),
    speedup: round(speedup),
    identical,
    differing_values: differing,
    max_abs_diff: maxDiff,
    goals_met: identical && speedup >= 3,
  }),
);

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
