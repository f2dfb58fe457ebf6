// Fuzz the native API with schemathesis over the OpenAPI document the real server serves, longer
// than the test suite does (worker/tests/test_api_fuzz.py): a random seed each run, more examples
// per operation. Prints schemathesis' report and the answers by operation, then one JSON line.
// See README.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const python = join(root, '.venv', 'bin', 'python');
const examples = Number(process.env.API_FUZZ_EXAMPLES ?? 60);
const seed = process.env.API_FUZZ_SEED;

if (!existsSync(python)) {
  console.log('skipped: no .venv (run npm run setup)');
  console.log(JSON.stringify({ benchmark: 'api-fuzz', cases: 0, goals_met: false }));
  process.exit(1);
}
const args = ['-m', 'api_fuzz.fuzz_api', '--examples', String(examples), ...(seed ? ['--seed', seed] : [])];
const run = spawnSync(python, args, { cwd: join(root, 'worker', 'tests'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
const lines = (run.stdout ?? '').trimEnd().split('\n');
const last = lines.pop() ?? '';
console.log(lines.join('\n'));
let summary: Record<string, unknown> = {};
try {
  summary = JSON.parse(last);
} catch {
  console.log(last);
}
const seedUsed = /^Seed: (\d+)/m.exec(run.stdout ?? '')?.[1] ?? null;
const goalsMet = run.status === 0 && summary.internal_errors === 0 && summary.server_alive === true && summary.unhandled_errors === 0;
console.log(JSON.stringify({ benchmark: 'api-fuzz', examples_per_operation: examples, seed: seedUsed, ...summary, goals_met: goalsMet }));
process.exit(goalsMet ? 0 : 1);
