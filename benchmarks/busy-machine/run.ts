// Training on a busy machine (issue 21): LoRA steps of the demo model while other processes hold
// cores, as on a laptop or a shared box. Two arms, each in the same run: plain torch with the
// library defaults (what a user's own script gets) and the worker (whet_worker chooses OpenMP's
// wait policy by how busy the machine is before torch loads: worker/whet_worker/openmp_env.py);
// each quiet and beside BUSY_LOOPS (default 2) processes that spin on a core. Prints seconds a step and each arm's speed-up over
// plain torch under the same load. Env: BUSY_LOOPS, BUSY_STEPS (default 6).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';

const DEMO = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
if (!existsSync(join(DEMO, 'config.json'))) {
  console.log(JSON.stringify({ benchmark: 'busy-machine', skipped: `demo model missing at ${DEMO}: run npm start or npm test once` }));
  process.exit(1);
}
const LOOPS = Number(process.env.BUSY_LOOPS ?? 2);
const STEPS = String(Number(process.env.BUSY_STEPS ?? 6));
const ARMS: { name: string; args: string[]; env: Record<string, string> }[] = [
  { name: 'plain torch (defaults)', args: [], env: {} },
  { name: 'whetstone worker', args: ['--whetstone'], env: {} },
];
// Each arm starts from the caller's environment less its OpenMP settings, so the arms differ only as named.
const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'GOMP_SPINCOUNT' && k !== 'OMP_WAIT_POLICY')) as Record<string, string>;

function measure(arm: (typeof ARMS)[number]) {
  const r = spawnSync(VENV_PYTHON, [join(REPO_ROOT, 'benchmarks', 'busy-machine', 'step_loop.py'), DEMO, '--steps', STEPS, ...arm.args], {
    cwd: join(REPO_ROOT, 'worker'),
    env: { ...base, PYTHONPATH: join(REPO_ROOT, 'worker'), ...arm.env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${arm.name}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { wall_s: number; cpu_s: number };
}

const results: Record<string, Record<string, { wall_s: number; cpu_s: number; speedup: number }>> = {};
for (const loops of [0, LOOPS]) {
  const busy: ChildProcess[] = Array.from({ length: loops }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    const label = loops === 0 ? 'quiet' : `${loops} busy process${loops > 1 ? 'es' : ''}`;
    const row: (typeof results)[string] = {};
    for (const arm of ARMS) {
      const m = measure(arm);
      row[arm.name] = { ...m, speedup: 0 };
      console.log(`${label.padEnd(18)} ${arm.name.padEnd(26)} ${m.wall_s.toFixed(2)} s/step (cpu ${m.cpu_s.toFixed(2)} s)  load ${loadavg()[0].toFixed(1)}`);
    }
    const plain = row[ARMS[0]!.name]!.wall_s;
    for (const r of Object.values(row)) r.speedup = +(plain / r.wall_s).toFixed(2);
    results[label] = row;
  } finally {
    for (const b of busy) b.kill('SIGKILL');
  }
}
console.log(JSON.stringify({ benchmark: 'busy-machine', steps: Number(STEPS), results }));
