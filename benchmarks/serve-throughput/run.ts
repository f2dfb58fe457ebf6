// Generation-server throughput on the demo model: aggregate tokens/s with 1, 8, 16 and 32 concurrent
// streams against one at a time (1 stream) in the same run, for a float32 and a bfloat16 server,
// time to first token p50/p99, then llama.cpp decoding the Q8_0 GGUF export against PyTorch, each beside the
// memory-bandwidth bound (bytes of weights read per token). Prints the figures, then one JSON line.
// See README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GenerateLineSchema, ReadyEventSchema, WorkerServeSpecSchema } from '@whetstone/core';
import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';

const DEMO = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
const MAX_TOKENS = Number(process.env.SERVE_BENCH_TOKENS ?? 64);
/** The generation server answers only requests with the token it was started with. */
const TOKEN = randomBytes(32).toString('hex');
const LEVELS = [1, 8, 16, 32];
// torch and llama.cpp alike; the physical cores (2 here) on a quiet machine. On a busy one use 1:
// OpenMP threads that wait for a descheduled sibling slow decoding down 10x or more.
const THREADS = Number(process.env.SERVE_BENCH_THREADS ?? 2);
/** The servers' dtypes, one server each: float32 (the CPU default) and bfloat16 (AMX on CPUs that have it). */
const DTYPES = (process.env.SERVE_BENCH_DTYPES ?? 'float32,bfloat16').split(',');
const TOPICS = ['a lighthouse', 'a lost key', 'the moon', 'a small robot', 'a river', 'an old map', 'a city at night', 'a garden'];

if (!existsSync(join(DEMO, 'config.json'))) {
  console.log(`demo model missing at ${DEMO}: convert it first (see DESIGN.md / README)`);
  console.log(JSON.stringify({ benchmark: 'serve-throughput', skipped: 'demo model missing', goals_met: false }));
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'whet-serve-bench-'));
type Run = { tokens: number; ttftMs: number };
type Level = { tokens: number; seconds: number; tokens_per_s: number; ttft_p50_ms: number; ttft_p99_ms: number; runs: Run[] };
// Each dtype's server runs every level; the goal compares the best 16-stream figure with the
// best one-at-a-time figure of any dtype in this run (a user serving one stream would pick it).
const byDtype: Record<string, Record<number, Level>> = {};
for (const dtype of DTYPES) byDtype[dtype] = await measureServer(dtype);
let llama: { q8_tokens_per_s: number; f32_bytes: number; q8_bytes: number } | null = null;
try {
  llama = await llamaCppDecode();
} catch (error) {
  console.log(`llama.cpp Q8_0: skipped (${(error as Error).message.split('\n')[0]})`);
}
rmSync(work, { recursive: true, force: true });

const bandwidth = memoryBandwidthGBs();
const best = (level: number) => Math.max(...DTYPES.map((d) => byDtype[d]![level]!.tokens_per_s));
const speedup = (level: number) => best(level) / best(1);
const [speedup8, speedup16, speedup32] = [speedup(8), speedup(16), speedup(32)];
const f32Bound = llama ? (bandwidth * 1e9) / llama.f32_bytes : null;
const q8Bound = llama ? (bandwidth * 1e9) / llama.q8_bytes : null;
console.log(`memory bandwidth (copy): ${bandwidth.toFixed(1)} GB/s`);
if (llama) {
  console.log(`decode, 1 stream: PyTorch ${best(1)} tokens/s (fp32 bound ${f32Bound!.toFixed(0)}), llama.cpp Q8_0 ${llama.q8_tokens_per_s} tokens/s (bound ${q8Bound!.toFixed(0)}): ${(llama.q8_tokens_per_s / best(1)).toFixed(1)}x`);
}
console.log(`goals (best of ${DTYPES.join(', ')} at each level, against the best one at a time): >= 4x with 8 streams: ${speedup8.toFixed(2)}x; >= 8x with 16 streams: ${speedup16.toFixed(2)}x`);
console.log(
  JSON.stringify({
    benchmark: 'serve-throughput',
    model: 'SmolLM2-135M-Instruct',
    max_tokens: MAX_TOKENS,
    threads: THREADS,
    dtypes: Object.fromEntries(DTYPES.map((d) => [d, Object.fromEntries(Object.entries(byDtype[d]!).map(([k, { runs, ...v }]) => [k, v]))])),
    speedup_8: round(speedup8),
    speedup_16: round(speedup16),
    speedup_32: round(speedup32),
    memory_bandwidth_gb_s: round(bandwidth),
    torch_f32_bound_tokens_per_s: f32Bound && Math.round(f32Bound),
    llamacpp_q8_0_tokens_per_s: llama?.q8_tokens_per_s ?? null,
    llamacpp_q8_0_bound_tokens_per_s: q8Bound && Math.round(q8Bound),
    goals_met: speedup8 >= 4 && speedup16 >= 8,
  }),
);

/** One server in `dtype`: the concurrent levels, with one at a time before and after them. */
async function measureServer(dtype: string): Promise<Record<number, Level>> {
  const server = await startServer(dtype);
  const results: Record<number, Level> = {};
  try {
    await generate(server.url, 0, 8); // warm-up
    // One at a time (level 1) runs before and after the concurrent levels, 2 requests each time,
    // so a machine getting busier or quieter during the run weighs on both sides alike.
    const before = await measure(1, () => sequential(server.url, 2));
    for (const level of LEVELS.slice(1)) {
      results[level] = await measure(level, () => Promise.all(Array.from({ length: level }, (_, i) => generate(server.url, i, MAX_TOKENS))));
    }
    const after = await measure(1, () => sequential(server.url, 2));
    results[1] = summarize([...before.runs, ...after.runs], before.seconds + after.seconds);
    for (const level of LEVELS) {
      const r = results[level]!;
      const ratio = level === 1 ? '' : `, ${(r.tokens_per_s / results[1].tokens_per_s).toFixed(1)}x its own one at a time`;
      console.log(`${dtype} ${String(level).padStart(2)} stream(s): ${r.tokens} tokens in ${r.seconds} s = ${r.tokens_per_s} tokens/s${ratio}; TTFT p50 ${r.ttft_p50_ms} ms, p99 ${r.ttft_p99_ms} ms`);
    }
  } finally {
    // wait for it to exit: a server starting beside one still shutting down sees a busy machine and
    // makes its OpenMP threads sleep at barriers (whet_worker/openmp_env.py), 35-45% slower here
    await server.stop();
  }
  return results;
}

async function measure(level: number, go: () => Promise<Run[]>): Promise<Level> {
  const t0 = performance.now();
  const runs = await go();
  const level_ = summarize(runs, (performance.now() - t0) / 1000);
  console.log(`  ${level} stream(s): ${level_.tokens} tokens, ${level_.tokens_per_s} tokens/s`);
  return level_;
}

function summarize(runs: Run[], seconds: number): Level {
  const tokens = runs.reduce((n, r) => n + r.tokens, 0);
  const ttft = runs.map((r) => r.ttftMs).sort((a, b) => a - b);
  return { tokens, seconds: round(seconds), tokens_per_s: round(tokens / seconds), ttft_p50_ms: Math.round(pct(ttft, 50)), ttft_p99_ms: Math.round(pct(ttft, 99)), runs };
}

async function sequential(url: string, count: number) {
  const runs = [];
  for (let i = 0; i < count; i++) runs.push(await generate(url, i, MAX_TOKENS));
  return runs;
}

/** One streamed chat request: tokens made and time to the first delta. */
async function generate(url: string, i: number, maxTokens: number): Promise<Run> {
  const t0 = performance.now();
  const res = await fetch(`${url}/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ messages: [{ role: 'user', content: `Write a long story about ${TOPICS[i % TOPICS.length]}.` }], max_tokens: maxTokens, temperature: 0 }),
  });
  if (!res.ok || !res.body) throw new Error(`generate: HTTP ${res.status} ${await res.text()}`);
  let ttftMs = 0;
  let buffer = '';
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = GenerateLineSchema.parse(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
      if (line.type === 'delta' && !ttftMs) ttftMs = performance.now() - t0;
      if (line.type === 'error') throw new Error(`${line.code}: ${line.message}`);
      if (line.type === 'done') return { tokens: line.completion_tokens, ttftMs };
    }
  }
  throw new Error('stream ended without done');
}

async function startServer(dtype: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const spec = WorkerServeSpecSchema.parse({ version: 1, command: 'serve', model: { path: DEMO, chat_template: null }, device: 'cpu', threads: THREADS, dtype, max_batch_size: 32 });
  const specPath = join(work, `serve-${dtype}.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  const child = spawn(VENV_PYTHON, ['-m', 'whet_worker', 'serve', specPath], {
    cwd: join(REPO_ROOT, 'worker'),
    env: { ...process.env, WHET_WORKER_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading stdout to the end: a closed pipe would fail the worker's last event on SIGTERM.
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line);
      if (event.type === 'error') reject(new Error(`serve: ${event.code}: ${event.message}`));
      if (event.type === 'ready') {
        const ready = ReadyEventSchema.parse(event);
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        const stop = async () => {
          child.kill('SIGTERM');
          await exited;
        };
        resolve({ url: `http://${ready.host}:${ready.port}`, stop });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before ready`)));
  });
}

/** Export the demo model to Q8_0 and time llama.cpp's greedy decode of one stream. */
async function llamaCppDecode() {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const out = join(work, 'demo-q8_0.gguf');
  const spec = { version: 1, command: 'export', model: { path: DEMO }, adapter: null, format: 'gguf', quantization: 'q8_0', output_path: out };
  writeFileSync(join(work, 'export.json'), JSON.stringify(spec));
  const done = spawnSync(VENV_PYTHON, ['-m', 'whet_worker', 'export', join(work, 'export.json')], { cwd: join(REPO_ROOT, 'worker'), encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`export failed: ${done.stdout}${done.stderr.slice(-2000)}`);
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: out });
  const context = await model.createContext({ contextSize: 1024, threads: THREADS });
  const prompt = model.tokenize(`<|im_start|>user\nWrite a long story about ${TOPICS[0]}.<|im_end|>\n<|im_start|>assistant\n`, true);
  let tokens = 0;
  let t0 = 0;
  for await (const _ of context.getSequence().evaluate(prompt, { temperature: 0 })) {
    if (tokens === 0) t0 = performance.now(); // decode only: from the first token on
    if (++tokens > 128) break;
  }
  const q8 = round((tokens - 1) / ((performance.now() - t0) / 1000));
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  console.log(`llama.cpp Q8_0: ${q8} tokens/s decoding one stream (${THREADS} threads)`);
  return { q8_tokens_per_s: q8, q8_bytes: statSync(out).size, f32_bytes: statSync(join(DEMO, 'model.safetensors')).size };
}

/** Bytes per second a large array copy moves (read + write), in GB/s: the decode bound's denominator. */
function memoryBandwidthGBs(): number {
  const a = new Float64Array(32 * 1024 * 1024); // 256 MiB, far beyond any cache
  const b = new Float64Array(a.length);
  a.fill(1);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    b.set(a);
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * a.byteLength) / (best / 1000) / 1e9;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
