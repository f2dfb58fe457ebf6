import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { gpuPackagesFor, installLlamaGpuBinaries } from '../../../../scripts/llama-gpu-binaries.mjs';
// @ts-expect-error: a plain .mjs script without types
import { foreignLlamaBinaries, pruneForeignLlamaBinaries } from '../../../../scripts/llama-cpu-binaries.mjs';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const GPU_BUILDS = ['linux-x64-cuda', 'linux-x64-cuda-ext', 'linux-x64-vulkan', 'win-x64-cuda', 'win-x64-cuda-ext', 'win-x64-vulkan'];
const packagesFor = gpuPackagesFor as (gpu: string, platform?: string) => string[];

describe("node-llama-cpp's prebuilt binaries", () => {
  it('the lockfile installs the CPU builds and links every CUDA and Vulkan build to the empty placeholder', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { link?: boolean; resolved?: string; version?: string }> };
    for (const name of GPU_BUILDS) {
      expect(lock.packages[`node_modules/@node-llama-cpp/${name}`], name).toEqual({ resolved: 'packages/server/llama-gpu-placeholder', link: true });
    }
    expect(lock.packages['node_modules/@node-llama-cpp/linux-x64']?.version).toBe(lock.packages['node_modules/node-llama-cpp']?.version);
    expect(readdirSync(join(ROOT, 'packages/server/llama-gpu-placeholder'))).toEqual(['package.json']); // nothing node-llama-cpp could load
  });

  it('WHET_LLAMA_GPU names the packages setup installs, or says how to build where none is prebuilt', () => {
    expect(packagesFor('cuda', 'linux-x64')).toEqual(['linux-x64-cuda', 'linux-x64-cuda-ext']);
    expect(packagesFor('vulkan', 'win32-x64')).toEqual(['win-x64-vulkan']);
    expect(packagesFor('auto', 'linux-x64')).toEqual(['linux-x64-cuda', 'linux-x64-cuda-ext', 'linux-x64-vulkan']);
    expect(packagesFor('off', 'linux-x64')).toEqual([]);
    expect(packagesFor('metal', 'darwin-arm64')).toEqual([]); // npm installs it on a Mac
    expect(() => packagesFor('cuda', 'linux-arm64')).toThrow(/no prebuilt cuda build for linux-arm64.*source download --gpu cuda/);
    expect(() => packagesFor('rocm', 'linux-x64')).toThrow(/WHET_LLAMA_GPU must be one of off, auto, cuda, vulkan, metal, got "rocm"/);
  });

  it('setup keeps only the CPU build of this processor (npm installs the ARM ones on x64 too)', () => {
    const foreign = foreignLlamaBinaries as (names: string[], platform: string, arch: string) => string[];
    const all = ['linux-arm64', 'linux-armv7l', 'linux-riscv64', 'linux-x64', 'linux-x64-cuda', 'linux-x64-vulkan', 'win-x64', 'mac-arm64-metal'];
    expect(foreign(all, 'linux', 'x64')).toEqual(['linux-arm64', 'linux-armv7l', 'linux-riscv64']);
    expect(foreign(all, 'linux', 'arm64')).toEqual(['linux-armv7l', 'linux-riscv64', 'linux-x64', 'linux-x64-cuda', 'linux-x64-vulkan']);
    expect(foreign(all, 'darwin', 'arm64')).toEqual([]); // npm installs no other Mac build
    expect(foreign(all, 'linux', 'ppc64')).toEqual([]); // a processor it has no name for: keep all
    // This checkout, after the suite's setup: the build node-llama-cpp loads here, nothing for other processors.
    const here = readdirSync(join(ROOT, 'node_modules/@node-llama-cpp'));
    expect(foreign(here, process.platform, process.arch)).toEqual([]);
    if (`${process.platform}-${process.arch}` === 'linux-x64') expect(here).toContain('linux-x64');

    const root = mkdtempSync(join(tmpdir(), 'whet-llama-cpu-'));
    try {
      for (const name of ['linux-arm64', 'linux-x64']) write(join(root, 'node_modules/@node-llama-cpp', name, 'package.json'), { name: `@node-llama-cpp/${name}` });
      write(join(root, 'placeholder/package.json'), { name: 'placeholder' });
      symlinkSync('../../placeholder', join(root, 'node_modules/@node-llama-cpp/linux-arm64-vulkan')); // a link (like the GPU placeholders) stays
      const prune = pruneForeignLlamaBinaries as (o: object) => string[];
      expect(prune({ root, platform: 'linux', arch: 'x64', log: () => undefined })).toEqual(['linux-arm64']);
      expect(readdirSync(join(root, 'node_modules/@node-llama-cpp')).sort()).toEqual(['linux-arm64-vulkan', 'linux-x64']);
      expect(prune({ root, platform: 'linux', arch: 'x64', log: () => undefined })).toEqual([]); // again: nothing left to do
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe.skipIf(`${process.platform}-${process.arch}` !== 'linux-x64')('setup with WHET_LLAMA_GPU=cuda', () => {
    const root = mkdtempSync(join(tmpdir(), 'whet-llama-gpu-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('links the stored CUDA packages over the placeholder links, leaving the placeholder itself alone', () => {
      // A checkout after npm ci: node-llama-cpp, and its CUDA packages linked to the placeholder...
      const placeholder = join(root, 'packages/server/llama-gpu-placeholder');
      write(join(placeholder, 'package.json'), { name: '@whetstone/llama-gpu-placeholder', version: '0.0.0' });
      write(join(root, 'node_modules/node-llama-cpp/package.json'), { name: 'node-llama-cpp', version: '3.21.1' });
      for (const name of ['linux-x64-cuda', 'linux-x64-cuda-ext']) {
        mkdirSync(join(root, 'node_modules/@node-llama-cpp'), { recursive: true });
        symlinkSync('../../packages/server/llama-gpu-placeholder', join(root, 'node_modules/@node-llama-cpp', name));
        // ...and the real packages already in .cache/llama-gpu from an earlier setup (so no download here).
        write(join(root, '.cache/llama-gpu/node_modules/@node-llama-cpp', name, 'package.json'), { name: `@node-llama-cpp/${name}`, version: '3.21.1' });
      }
      const linked = (installLlamaGpuBinaries as (o: object) => string[])({ root, gpu: 'cuda', log: () => undefined });
      expect(linked).toEqual(['linux-x64-cuda', 'linux-x64-cuda-ext']);
      for (const name of linked) {
        const link = join(root, 'node_modules/@node-llama-cpp', name);
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(realpathSync(link)).toBe(realpathSync(join(root, '.cache/llama-gpu/node_modules/@node-llama-cpp', name)));
      }
      expect(existsSync(join(placeholder, 'package.json'))).toBe(true);
      // Twice is the same: the links are kept.
      expect((installLlamaGpuBinaries as (o: object) => string[])({ root, gpu: 'cuda', log: () => undefined })).toEqual(linked);
    });
  });
});

function write(path: string, value: unknown) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}
