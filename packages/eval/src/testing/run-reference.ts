import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SampleScores } from '../score-sample.ts';
import type { ScorePair } from '../score-pairs.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const VENV_PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
const SCRIPT = fileURLToPath(new URL('../../reference/reference_metrics.py', import.meta.url));

export interface ReferenceResult {
  aggregate: Record<'bleu-4' | 'rouge-1' | 'rouge-2' | 'rouge-l' | 'exact_match' | 'sacrebleu-13a' | 'sacrebleu-zh', number>;
  count: number;
  per_sample: SampleScores[];
  seconds: { imports: number; jieba_init: number; samples: number; sacrebleu: number; metrics: number };
  /** Wall time of the whole Python process, interpreter start included. */
  wall_seconds: number;
}

export function hasReferencePython(): boolean {
  return existsSync(VENV_PYTHON);
}

/**
 * Runs reference/reference_metrics.py (jieba, nltk, rouge-chinese, sacrebleu in the repo's
 * .venv) on the pairs, through a temporary JSONL file.
 */
export async function runReference(pairs: readonly ScorePair[], opts: { perSample?: boolean; python?: string } = {}): Promise<ReferenceResult> {
  const dir = await mkdtemp(join(tmpdir(), 'whet-eval-ref-'));
  try {
    const file = join(dir, 'pairs.jsonl');
    await writeFile(file, pairs.map((p) => JSON.stringify({ prediction: p.prediction, reference: p.reference })).join('\n') + '\n');
    const args = [SCRIPT, file, ...(opts.perSample === false ? ['--no-per-sample'] : [])];
    const started = performance.now();
    const { stdout, stderr, code } = await run(opts.python ?? VENV_PYTHON, args);
    const wall = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`reference_metrics.py exited with ${code}: ${stderr.slice(-2000)}`);
    return { ...(JSON.parse(stdout) as Omit<ReferenceResult, 'wall_seconds'>), wall_seconds: wall };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
