import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { buildConsole } from '../../../scripts/build-console.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET = 300 * 1024;

/** The scripts a first visit loads before any page chunk: the entry and what it preloads. */
function initialScripts(html: string): string[] {
  const entry = [...html.matchAll(/<script type="module"[^>]* src="\/([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]* href="\/([^"]+)"/g)].map((m) => m[1]!);
  return [...entry, ...preloads];
}

describe('the built console', () => {
  beforeAll(() => {
    (buildConsole as (o: { log(m: string): void }) => string)({ log: () => undefined });
  });

  it(`loads under ${BUDGET / 1024} KB of gzipped JavaScript before the first page; uPlot and zod are not in it`, () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const scripts = initialScripts(html);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((s) => ({ file: s, gzip: gzipSync(readFileSync(join(DIST, s))).length }));
    const total = sizes.reduce((a, s) => a + s.gzip, 0);
    console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzip (${sizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KB`).join(', ')})`);
    expect(total).toBeLessThan(BUDGET);
    const initial = scripts.map((s) => readFileSync(join(DIST, s), 'utf8')).join('\n');
    expect(initial).not.toContain('u-legend'); // uPlot
    expect(initial).not.toContain('resumed_from_step'); // the worker protocol schemas (zod + core)
    // React's production build, even when the build ran inside a test (NODE_ENV=test).
    expect(initial).not.toContain('jsxDEV');
  });
});
