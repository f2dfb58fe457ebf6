// Compiles chat-scan.ts (AssemblyScript) to chat-scan.wasm and records the source's sha256 in
// chat-scan.wasm.source-sha256, which a test holds the source to: a changed source must be
// rebuilt and both files committed. The compiler is fetched from npm at the pinned version
// (about 100 MB with binaryen), so installing the platform does not carry it.
//   node packages/data/assembly/build.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ASSEMBLYSCRIPT = 'assemblyscript@0.28.20';
const source = fileURLToPath(new URL('./chat-scan.ts', import.meta.url));
const wasm = fileURLToPath(new URL('./chat-scan.wasm', import.meta.url));

execFileSync('npm', ['exec', '--yes', `--package=${ASSEMBLYSCRIPT}`, '--', 'asc', source, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '-o', wasm], { stdio: 'inherit' });
const sha = createHash('sha256').update(readFileSync(source)).digest('hex');
writeFileSync(`${wasm}.source-sha256`, `${sha}\n`);
console.log(`built ${wasm} (${readFileSync(wasm).length} bytes) from chat-scan.ts ${sha.slice(0, 12)}`);
