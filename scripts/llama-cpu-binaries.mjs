// node-llama-cpp's CPU builds for other processors. Its linux-arm64 and linux-armv7l packages
// declare `cpu: ["arm64", "x64"]` and `["arm", "x64"]` (so an x64 machine can bundle them for an
// ARM device), so `npm ci` installs both, 32 MB, on every x64 Linux machine, where nothing loads
// them. Setup removes the prebuilt packages of this OS built for another processor; `npm ci`
// brings them back (it starts node_modules afresh) and the next setup removes them again.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** node-llama-cpp's names for the OS and the processor, `<os>-<arch>[-<gpu>]`. */
const OS_NAMES = { linux: 'linux', win32: 'win', darwin: 'mac' };
const ARCH_NAMES = { x64: 'x64', arm64: 'arm64', arm: 'armv7l', riscv64: 'riscv64' };

/** The package names under node_modules/@node-llama-cpp built for this OS and another processor. */
export function foreignLlamaBinaries(names, platform = process.platform, arch = process.arch) {
  const os = OS_NAMES[platform];
  const own = ARCH_NAMES[arch];
  if (!os || !own) return []; // a machine we cannot name: keep everything
  return names.filter((name) => {
    const [pkgOs, pkgArch] = name.split('-');
    return pkgOs === os && Object.values(ARCH_NAMES).includes(pkgArch) && pkgArch !== own;
  });
}

/** Removes them (real folders only: links, the GPU placeholders among them, stay); returns their names. */
export function pruneForeignLlamaBinaries({ root, platform = process.platform, arch = process.arch, log = console.log }) {
  const dir = join(root, 'node_modules', '@node-llama-cpp');
  let names;
  try {
    names = readdirSync(dir).filter((n) => !lstatSync(join(dir, n)).isSymbolicLink());
  } catch {
    return [];
  }
  const foreign = foreignLlamaBinaries(names, platform, arch);
  for (const name of foreign) rmSync(join(dir, name), { recursive: true, force: true });
  if (foreign.length) log(`setup: removed node-llama-cpp's builds for other processors (${foreign.join(', ')})`);
  return foreign;
}
