// The web console: (1) the JavaScript a first visit loads before any page, against the 300 KB
// gzip budget; (2) frame times while 100,000 loss points stream into the job page's loss chart
// in real Chromium, against plain uPlot fed the same stream in the same page (setData on every
// network chunk, what a user would write). The points are progress events written through the
// real store and published on the job bus in batches, as the scheduler does with a worker's
// events, and reach both charts over the real SSE route.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test-support/browser.ts';
import { jobRow } from '../../test-support/job-row.ts';
import { REPO_ROOT } from '../../test-support/paths.ts';
import { tempHome, testServer } from '../../test-support/server.ts';
// @ts-expect-error: a plain .mjs script without types
import { buildConsole } from '../../scripts/build-console.mjs';

const POINTS = Number(process.env.WEB_BENCH_POINTS ?? 100_000);
const BATCH = 500; // points per store transaction and bus burst
const EVERY_MS = 20; // between bursts: 25,000 points/s, far faster than any real run
const BUDGET = 300 * 1024;
const DIST = join(REPO_ROOT, 'packages', 'web', 'dist');

// ---- 1. initial bundle ----
(buildConsole as (o: { log(m: string): void }) => string)({ log: () => undefined });
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const initial = [
  ...[...html.matchAll(/<script type="module"[^>]* src="\/([^"]+)"/g)].map((m) => m[1]!),
  ...[...html.matchAll(/<link rel="modulepreload"[^>]* href="\/([^"]+)"/g)].map((m) => m[1]!),
];
const initialGzip = initial.reduce((a, f) => a + gzipSync(readFileSync(join(DIST, f))).length, 0);
console.log(`initial JS: ${(initialGzip / 1024).toFixed(1)} KB gzip = ${((initialGzip / BUDGET) * 100).toFixed(0)}% of the ${BUDGET / 1024} KB budget`);

// ---- 2. streaming ----
const { home, cleanup } = tempHome('whet-bench-web-');
const server = await testServer(home);
const browser = await launchChromium();

interface FrameStats {
  frames: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  over_50ms_share: number;
  all_drawn_seconds: number;
}

/** A running job with no points yet: its event stream stays open for live points. */
function insertJob(id: string) {
  server.ctx.store.insertJob(jobRow(home, id, { name: id, status: 'running', progress: { step: 0, total_steps: POINTS, epoch: 0, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null } }));
}

/** Write POINTS progress events through the store in batches and publish each on the bus. */
async function stream(id: string) {
  const { store, bus } = server.ctx;
  for (let start = 1; start <= POINTS; start += BATCH) {
    const stored = store.transaction(() => {
      const out = [];
      for (let step = start; step < start + BATCH && step <= POINTS; step++) {
        // A noisy falling curve that ends at exactly 0: the last point must be drawn too.
        const loss = step === POINTS ? 0 : 3 * Math.exp(-step / 20_000) + 0.3 * Math.abs(Math.sin(step * 12.9898));
        const lr = 2e-4 * (1 - step / POINTS);
        const tokens = 4000 + (step % 100);
        out.push(store.appendEvent(id, 'progress', { type: 'progress', step, total_steps: POINTS, epoch: step / POINTS, loss, learning_rate: lr, grad_norm: 1, tokens_per_sec: tokens }));
        store.appendMetrics(id, [
          { step, name: 'loss', value: loss },
          { step, name: 'learning_rate', value: lr },
          { step, name: 'tokens_per_sec', value: tokens },
        ]);
      }
      return out;
    });
    for (const e of stored) bus.publish(id, e);
    await new Promise((r) => setTimeout(r, EVERY_MS));
  }
}

/** Record every animation frame from now until `done()` holds in the page, then summarise. */
async function measure(page: Page, which: 'ours' | 'plain', run: () => Promise<void>): Promise<FrameStats> {
  await page.evaluate(([kind, points]) => {
    const w = window as unknown as { __bench: { frames: number[]; t0: number; end: number | null }; __plain?: number };
    // No eval here: the console's CSP forbids it.
    const isDone = () =>
      kind === 'ours' ? (document.querySelector('figure.loss-chart') as HTMLElement | null)?.dataset.points === String(points) : w.__plain === points;
    w.__bench = { frames: [], t0: performance.now(), end: null };
    const tick = (t: number) => {
      w.__bench.frames.push(t);
      if (isDone()) w.__bench.end = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, [which, POINTS] as const);
  await run();
  await page.waitForFunction(() => (window as unknown as { __bench: { end: number | null } }).__bench.end !== null, null, { timeout: 180_000, polling: 500 });
  const b = await page.evaluate(() => (window as unknown as { __bench: { frames: number[]; t0: number; end: number } }).__bench);
  const deltas = b.frames.slice(1).map((t, i) => t - b.frames[i]!).sort((x, y) => x - y);
  const q = (p: number) => deltas[Math.min(deltas.length - 1, Math.floor(p * deltas.length))] ?? 0;
  return {
    frames: deltas.length,
    p50_ms: +q(0.5).toFixed(1),
    p95_ms: +q(0.95).toFixed(1),
    max_ms: +(deltas[deltas.length - 1] ?? 0).toFixed(1),
    over_50ms_share: +(deltas.filter((d) => d > 50).length / Math.max(1, deltas.length)).toFixed(3),
    all_drawn_seconds: +((b.end - b.t0) / 1000).toFixed(2),
  };
}

try {
  insertJob('job_ours');
  insertJob('job_plain');
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.message} ${e.stack ?? ''}`));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(`${server.url}/jobs/job_ours`);
  await page.locator('figure.loss-chart canvas').first().waitFor({ timeout: 60_000 });
  // tsx names the functions handed to page.evaluate through a `__name` helper the page lacks.
  await page.evaluate('window.__name = (f) => f');

  // Ours: the job page as shipped (loss with smoothing and marks, learning rate, tokens/s).
  const ours = await measure(page, 'ours', () => stream('job_ours'));
  if (errors.length) throw new Error(`page errors while streaming into the job page: ${errors.join('; ')}`);

  // Baseline, same page: plain uPlot (the console's own copy, the IIFE build), the same SSE
  // route, setData with every array on each chunk that arrives.
  const uplotIife = readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  await page.evaluate(uplotIife);
  await page.evaluate((id) => {
    type U = { setData(d: number[][]): void };
    const w = window as unknown as { uPlot: new (o: object, d: number[][], el: HTMLElement) => U; __plain: number };
    const el = document.createElement('div');
    document.querySelector('main')!.prepend(el);
    const xs: number[] = [];
    const ys: number[] = [];
    const u = new w.uPlot({ width: 1200, height: 320, scales: { x: { time: false } }, series: [{}, { stroke: '#1d4ed8' }] }, [xs, ys], el);
    w.__plain = 0;
    void (async () => {
      const res = await fetch(`/api/v1/jobs/${id}/events`);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        const parts = buf.split('\n\n');
        buf = parts.pop()!;
        for (const part of parts) {
          const lines = part.split('\n');
          if (!lines.includes('event: progress')) continue;
          const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as { step: number; loss: number };
          xs.push(data.step);
          ys.push(data.loss);
        }
        u.setData([xs, ys]);
        w.__plain = xs.length;
      }
    })().catch((e: Error) => console.error(`plain uPlot baseline: ${e.message}`));
  }, 'job_plain');
  const plain = await measure(page, 'plain', () => stream('job_plain'));
  if (errors.length) throw new Error(`page errors while streaming into plain uPlot: ${errors.join('; ')}`);

  const ratio = (a: number, b: number) => +(a / Math.max(b, 0.1)).toFixed(2);
  const result = {
    benchmark: 'web',
    initial_js_gzip_kb: +(initialGzip / 1024).toFixed(1),
    budget_kb: BUDGET / 1024,
    within_budget: initialGzip < BUDGET,
    points: POINTS,
    batch: BATCH,
    every_ms: EVERY_MS,
    ours,
    plain_uplot: plain,
    p95_ratio: ratio(ours.p95_ms, plain.p95_ms),
    max_ratio: ratio(ours.max_ms, plain.max_ms),
    all_drawn_ratio: ratio(ours.all_drawn_seconds, plain.all_drawn_seconds),
  };
  const line = (name: string, s: FrameStats) =>
    `${name}: frames p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms, max ${s.max_ms} ms, ${(s.over_50ms_share * 100).toFixed(1)}% over 50 ms; all ${POINTS.toLocaleString('en')} points drawn after ${s.all_drawn_seconds} s`;
  console.log(line('job page (loss + LR + tokens/s charts)', ours));
  console.log(line('plain uPlot, setData per chunk     ', plain));
  console.log(`ours / plain: p95 ${result.p95_ratio}x, max ${result.max_ratio}x, time to draw all ${result.all_drawn_ratio}x`);
  console.log(JSON.stringify(result));
  await context.close();
} finally {
  await browser.close();
  await server.close();
  cleanup();
}
