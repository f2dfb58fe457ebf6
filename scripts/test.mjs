#!/usr/bin/env node
// Every test: typecheck, the TypeScript suites (vitest), then the Python worker suite (pytest).
// Prints one closing line "N passed, N failed" summing both runners.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2); // optional vitest filters
const report = join(mkdtempSync(join(tmpdir(), 'whet-test-')), 'vitest.json');
let passed = 0;
let failed = 0;
let ok = true;

const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) { console.error('typecheck failed'); ok = false; failed += 1; }

const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only], {
  cwd: root,
  stdio: 'inherit',
});
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  // A file whose hooks fail (beforeAll...) runs none of its tests: count it, or the closing
  // line reads "0 failed" over a red run.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'));
  failed += r.numFailedTests + brokenFiles.length;
} catch {
  failed += 1;
}
if (vitest.status !== 0) ok = false;

if (only.length === 0) {
  // One pytest process per core (pytest-xdist): each test runs real worker processes, CPU-bound
  // and independent of the others, so the suite takes about 1/cores of its serial time.
  // --durations: the slowest tests are named in every CI log, where the suite's time goes.
  const processes = String(Math.max(1, Math.min(availableParallelism(), 4)));
  const pytest = spawnSync(join(root, '.venv', 'bin', 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--durations=15', '-n', processes], {
    cwd: join(root, 'worker'),
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(pytest.stdout ?? '');
  const m = /(\d+) passed/.exec(pytest.stdout ?? '');
  const f = /(\d+) failed/.exec(pytest.stdout ?? '');
  const e = /(\d+) error/.exec(pytest.stdout ?? '');
  passed += m ? Number(m[1]) : 0;
  failed += (f ? Number(f[1]) : 0) + (e ? Number(e[1]) : 0);
  if (pytest.status !== 0) ok = false;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
