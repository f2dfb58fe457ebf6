#!/usr/bin/env node
// `npm run bench` runs every benchmarks/<name>/run.ts; `npm run bench -- <name>` runs one.
// Each prints its figures and ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'benchmarks');
const all = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'run.ts'))).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n== ${name}`);
  const r = spawnSync('npx', ['tsx', join(dir, name, 'run.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
