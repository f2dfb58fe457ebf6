// node-llama-cpp's GPU builds on demand. package.json's `overrides` point its CUDA and Vulkan
// prebuilt packages (about 620 MB on Linux x64) at an empty placeholder, so `npm ci` installs
// the CPU build only. `WHET_LLAMA_GPU=cuda npm run setup` (or vulkan, auto) installs the real
// packages, same version as node-llama-cpp, into .cache/llama-gpu with npm and links them where
// node-llama-cpp imports them from (node_modules/@node-llama-cpp/<name>); a later `npm ci`
// puts the placeholder back and the next setup links them again without downloading.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The prebuilt packages each WHET_LLAMA_GPU value needs, per platform (node-llama-cpp 3.x names). */
const GPU_PACKAGES = {
  'linux-x64': { cuda: ['linux-x64-cuda', 'linux-x64-cuda-ext'], vulkan: ['linux-x64-vulkan'] },
  'win32-x64': { cuda: ['win-x64-cuda', 'win-x64-cuda-ext'], vulkan: ['win-x64-vulkan'] },
};

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The package names WHET_LLAMA_GPU=`gpu` needs here; [] when npm ci already installed them (off, metal). */
export function gpuPackagesFor(gpu, platform = `${process.platform}-${process.arch}`) {
  if (gpu === 'off' || gpu === 'metal') return [];
  const byGpu = GPU_PACKAGES[platform];
  if (!byGpu) {
    if (gpu === 'auto') return [];
    throw new Error(
      `node-llama-cpp has no prebuilt ${gpu} build for ${platform}; build one with ` +
        `\`npx --no node-llama-cpp source download --gpu ${gpu}\` (needs cmake and the ${gpu} SDK), or unset WHET_LLAMA_GPU`,
    );
  }
  if (gpu === 'auto') return [...byGpu.cuda, ...byGpu.vulkan];
  if (!byGpu[gpu]) throw new Error(`WHET_LLAMA_GPU must be one of off, auto, cuda, vulkan, metal, got "${gpu}"`);
  return byGpu[gpu];
}

/** Installs (once) and links the GPU packages WHET_LLAMA_GPU=`gpu` needs. Returns the names linked. */
export function installLlamaGpuBinaries({ root, gpu, log = console.log }) {
  const names = gpuPackagesFor(gpu);
  if (names.length === 0) return [];
  const version = readJson(join(root, 'node_modules', 'node-llama-cpp', 'package.json')).version;
  const store = join(root, '.cache', 'llama-gpu');
  const stored = (name) => join(store, 'node_modules', '@node-llama-cpp', name);
  const missing = names.filter((n) => !existsSync(join(stored(n), 'package.json')) || readJson(join(stored(n), 'package.json')).version !== version);
  if (missing.length) {
    log(`setup: installing node-llama-cpp's ${gpu} build (${missing.join(', ')} ${version}) into .cache/llama-gpu`);
    mkdirSync(store, { recursive: true });
    // Its own package.json, so npm treats the folder as a project and not as part of the workspace.
    writeFileSync(join(store, 'package.json'), '{ "private": true }\n');
    const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', store, ...missing.map((n) => `@node-llama-cpp/${n}@${version}`)], {
      cwd: store,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`\`npm install\` of ${missing.join(', ')} failed (exit ${r.status ?? r.signal})`);
  }
  for (const name of names) {
    const link = join(root, 'node_modules', '@node-llama-cpp', name);
    const target = relative(dirname(link), stored(name));
    if (isLinkTo(link, target)) continue;
    rmSync(link, { recursive: true, force: true }); // the placeholder's link, never its folder
    symlinkSync(target, link, 'junction');
  }
  return names;
}

function isLinkTo(path, target) {
  try {
    return lstatSync(path).isSymbolicLink() && readlinkSync(path) === target;
  } catch {
    return false;
  }
}
