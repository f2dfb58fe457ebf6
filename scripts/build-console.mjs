// Build the web console (packages/web → packages/web/dist) when its sources changed. The hash
// of what goes into the bundle (the console's sources, core's sources it imports at run time,
// and the lockfile) is stored beside the build, so an unchanged tree costs one hash and no build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'packages', 'web');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.source-hash');

const isTest = (f) => /\.test\.tsx?$/.test(f) || f.split(sep).includes('e2e');

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .filter((f) => !isTest(f));
}

/** The hash of every input of the console's bundle. */
export function consoleSourceHash(root = ROOT) {
  const web = join(root, 'packages', 'web');
  const inputs = [
    ...['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((f) => join(web, f)),
    ...files(join(web, 'src')),
    ...files(join(web, 'public')),
    ...files(join(root, 'packages', 'core', 'src')),
    join(root, 'package-lock.json'),
    join(root, 'scripts', 'build-console.mjs'), // how it is built
  ].sort();
  const h = createHash('sha256');
  for (const f of inputs) {
    h.update(relative(root, f)).update('\0');
    h.update(existsSync(f) ? readFileSync(f) : '').update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Build unless dist holds a build of exactly these sources; returns 'fresh' or 'built'. The
 * build goes to a temporary folder that then replaces dist, so a server (or a second build
 * running at the same time, as two test files may) never sees half a console.
 */
export function buildConsole({ log = console.log } = {}) {
  const want = consoleSourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === want && existsSync(join(DIST, 'index.html'))) return 'fresh';
  log('setup: building the web console (packages/web, vite)');
  const tmp = `${DIST}.tmp-${process.pid}`;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV set explicitly: a build started from a test run inherits NODE_ENV=test, and Vite
  // then bundles React's development build (jsxDEV, 60% more initial JavaScript), which the
  // stamp would keep serving to `npm start` afterwards.
  const env = { ...process.env, NODE_ENV: 'production' };
  const r = spawnSync(process.execPath, [vite, 'build', WEB, '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`the console build failed (exit ${r.status ?? r.signal}): run \`npx vite build packages/web\` to see why`);
  }
  writeFileSync(join(tmp, '.source-hash'), want);
  const old = `${DIST}.old-${process.pid}`;
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(DIST, old);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    try {
      renameSync(tmp, DIST);
      break;
    } catch (e) {
      // Another build put its dist in place between the two renames: move that one aside too.
      if (attempt >= 3 || (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST')) throw e;
      rmSync(old, { recursive: true, force: true });
    }
  }
  rmSync(old, { recursive: true, force: true });
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildConsole();
