// One stream's decode speed of a deployed Q8_0 GGUF through /v1 (completions and chat, streamed)
// against node-llama-cpp's own LlamaCompletion on the same file, with the same threads, in the
// same process run, for a deployment of 1 sequence and one of the default pool (4). Rounds
// alternate the sides so that a machine getting busier or quieter weighs on all of them. Prints
// the figures, then one JSON line (`goals_met`: every side >= 0.90x the baseline). See README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { apiAt } from '../../test-support/api-client.ts';
import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';
import { tempHome, testConfig, testServer } from '../../test-support/server.ts';
import { endOfGenerationBan } from '../../packages/server/src/backends/llama-eog-ban.ts';
import { resolveGgufChatWrapper } from '../../packages/server/src/backends/llama-chat-prompt.ts';
import { sequenceContextSize } from '../../packages/server/src/backends/llamacpp-backend.ts';
import { SseParser } from '../../packages/web/src/lib/sse-parser.ts';
import { cpuMsByKind, threadSnapshot, type ThreadKind } from './thread-cpu.ts';

const DEMO = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct');
const THREADS = Number(process.env.GGUF_BENCH_THREADS ?? 2);
const TOKENS = Number(process.env.GGUF_BENCH_TOKENS ?? 256);
const ROUNDS = Number(process.env.GGUF_BENCH_ROUNDS ?? 5);
const POOLS = (process.env.GGUF_BENCH_POOLS ?? '1,4').split(',').map(Number);
const GOAL = 0.9;
/** A llama-bench built for this CPU from source (README: from the llama-cpp-python sdist), measured beside the others when given. */
const NATIVE = process.env.GGUF_BENCH_NATIVE_LLAMA_BENCH;
const NATIVE_SIDE = 'llama-bench (native build)';
const PROMPT = 'The history of the lighthouse begins';
const QUESTION = 'Write a long story about a lighthouse.';

if (!existsSync(join(DEMO, 'config.json'))) {
  console.log(`demo model missing at ${DEMO}: convert it first (see README)`);
  console.log(JSON.stringify({ benchmark: 'gguf-decode', skipped: 'demo model missing', goals_met: false }));
  process.exit(1);
}

const { home, cleanup } = tempHome('whet-gguf-bench-');
const gguf = join(home, 'demo-q8_0.gguf');
exportQ8(gguf);
const server = await testServer(home, { llamaThreads: THREADS, modelRoots: [...testConfig(home).modelRoots, home] });
const lib = await import('node-llama-cpp');
const llama = await lib.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
try {
  const api = apiAt(server.url);
  for (const pool of POOLS) {
    const created = await api.post('/deployments', { name: `q8-${pool}`, model: gguf, backend: 'llamacpp', max_concurrency: pool, timeout_s: 600 });
    if (created.status !== 201) throw new Error(`deploy: ${JSON.stringify(created.body)}`);
    for (let d = created.body; d.status !== 'ready'; d = (await api.get(`/deployments/${d.id}`)).body) {
      if (d.status !== 'loading') throw new Error(`deployment ${d.name}: ${d.status} ${JSON.stringify(d.error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const baseline = await baselineDecoder();

  type Side = { name: string; run: () => Promise<number> };
  const sides: Side[] = [
    { name: 'node-llama-cpp LlamaCompletion', run: baseline.decode },
    // Not a goal: what node-llama-cpp's chat API makes of the same file, beside /v1's chat sides.
    { name: 'node-llama-cpp LlamaChat', run: baseline.decodeChat },
  ];
  for (const pool of POOLS) {
    sides.push({ name: `/v1/completions, pool ${pool}`, run: () => decodeThroughV1(`q8-${pool}`, 'completions') });
    sides.push({ name: `/v1/chat/completions, pool ${pool}`, run: () => decodeThroughV1(`q8-${pool}`, 'chat') });
  }
  if (NATIVE) sides.push({ name: NATIVE_SIDE, run: async () => nativeDecode(NATIVE) });
  for (const side of sides) await side.run(); // warm-up: first loads, caches, JIT
  const rates = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  // This process's CPU time per token (llama.cpp's threads, the server, the client): what the
  // /v1 path adds beside the decode itself. Not for the native build (another process).
  const cpuMs = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  // The JavaScript thread's busy time per token (server, client, node-llama-cpp's own JS and its
  // synchronous native calls): unlike the CPU time, not inflated by llama.cpp's threads spinning
  // at their barriers when the VM stalls one of them.
  const mainMs = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  // The same CPU time by kind of thread, summed over the rounds (/proc/self/task): where the extra goes.
  const byKind = new Map<string, Record<ThreadKind, number>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const before = threadSnapshot();
      const loop = performance.eventLoopUtilization();
      rates.get(side.name)!.push(await side.run());
      const after = threadSnapshot();
      byKind.set(side.name, cpuMsByKind(before, after, byKind.get(side.name)));
      cpuMs.get(side.name)!.push((after.processMs - before.processMs) / TOKENS);
      mainMs.get(side.name)!.push(performance.eventLoopUtilization(loop).active / TOKENS);
    }
  }
  await baseline.dispose();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(rates.get(sides[0]!.name)!);
  const figures: Record<
    string,
    { tokens_per_s: number; runs: number[]; vs_baseline: number; cpu_ms_per_token: number | null; main_thread_ms_per_token: number | null; cpu_ms_per_token_by_thread: Record<string, number> | null }
  > = {};
  for (const side of sides) {
    const m = median(rates.get(side.name)!);
    const inProcess = side.name !== NATIVE_SIDE;
    const cpu = inProcess ? round2(median(cpuMs.get(side.name)!)) : null;
    const main = inProcess ? round2(median(mainMs.get(side.name)!)) : null;
    const threads = inProcess && byKind.get(side.name) ? Object.fromEntries(Object.entries(byKind.get(side.name)!).map(([k, v]) => [k, round2(v / ROUNDS / TOKENS)])) : null;
    figures[side.name] = { tokens_per_s: round2(m), runs: rates.get(side.name)!.map(round2), vs_baseline: round2(m / base), cpu_ms_per_token: cpu, main_thread_ms_per_token: main, cpu_ms_per_token_by_thread: threads };
    console.log(
      `${side.name.padEnd(36)} ${m.toFixed(1)} tokens/s (runs ${rates.get(side.name)!.map((r) => r.toFixed(1)).join(', ')})${side === sides[0] ? '' : `: ${(m / base).toFixed(3)}x`}` +
        (inProcess ? `, ${cpu} CPU-ms and ${main} main-thread ms per token` : ''),
    );
    if (threads) console.log(`${''.padEnd(36)} CPU-ms per token by thread: ${Object.entries(threads).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const worst = Math.min(...sides.slice(1).filter((s) => s.name.startsWith('/v1')).map((s) => figures[s.name]!.vs_baseline));
  console.log(`goal: every /v1 side >= ${GOAL}x the baseline, one stream: worst ${worst.toFixed(3)}x`);
  console.log(JSON.stringify({ benchmark: 'gguf-decode', threads: THREADS, max_tokens: TOKENS, rounds: ROUNDS, load_average: loadAverage(), figures, worst_vs_baseline: worst, goals_met: worst >= GOAL }));
} finally {
  await server.close();
  await llama.dispose();
  cleanup();
}

/** The worker's own Q8_0 export of the demo model (what a user deploys after `whet export --format gguf`). */
function exportQ8(out: string) {
  const specPath = join(home, 'export.json');
  writeFileSync(specPath, JSON.stringify({ version: 1, command: 'export', model: { path: DEMO }, adapter: null, format: 'gguf', quantization: 'q8_0', output_path: out }));
  const done = spawnSync(VENV_PYTHON, ['-m', 'whet_worker', 'export', specPath], { cwd: join(REPO_ROOT, 'worker'), encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`export failed: ${done.stdout}${done.stderr.slice(-2000)}`);
}

/**
 * What a user of node-llama-cpp writes: one context of one sequence (the size a 1-sequence
 * deployment gets), LlamaCompletion, greedy, end-of-generation banned as /v1's ignore_eos does.
 * Decode rate: tokens after the first over the time from the first token to the last.
 */
async function baselineDecoder() {
  const model = await llama.loadModel({ modelPath: gguf });
  const context = await model.createContext({ contextSize: sequenceContextSize(model.trainContextSize, 1), threads: THREADS });
  const sequence = context.getSequence();
  const ban = endOfGenerationBan(lib, model);
  const chatWrapper = resolveGgufChatWrapper(lib, model);
  /** One answer of exactly TOKENS tokens, greedy, end-of-generation banned; its decode rate. */
  const timed = async (what: string, generate: (options: { maxTokens: number; temperature: number; tokenBias: typeof ban; onToken: (t: unknown[]) => void }) => Promise<unknown>) => {
    await sequence.clearHistory(); // as a fresh request on the server side: no cached prefix
    const stamps: number[] = [];
    let tokens = 0;
    await generate({
      maxTokens: TOKENS,
      temperature: 0,
      tokenBias: ban,
      onToken: (t) => {
        tokens += t.length;
        stamps.push(performance.now());
      },
    });
    if (tokens !== TOKENS) throw new Error(`${what} made ${tokens} tokens, not ${TOKENS}`);
    return (tokens - 1) / ((stamps.at(-1)! - stamps[0]!) / 1000);
  };
  return {
    decode: () =>
      timed('LlamaCompletion', async (options) => {
        const completion = new lib.LlamaCompletion({ contextSequence: sequence });
        await completion.generateCompletionWithMeta(PROMPT, options);
        completion.dispose({ disposeSequence: false });
      }),
    /** The chat question through LlamaChat, with the template a deployment renders. */
    decodeChat: () =>
      timed('LlamaChat', async (options) => {
        const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper });
        await chat.generateResponse([{ type: 'user', text: QUESTION }, { type: 'model', response: [] }], options);
        chat.dispose({ disposeSequence: false });
      }),
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

/** llama.cpp's own tg test (one sequence, no sampling) of the same file and length, from a native build. */
function nativeDecode(llamaBench: string): number {
  const run = spawnSync(llamaBench, ['-m', gguf, '-t', String(THREADS), '-p', '0', '-n', String(TOKENS), '-r', '1', '-o', 'json'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`llama-bench failed: ${run.stderr.slice(-1000)}`);
  return (JSON.parse(run.stdout) as { avg_ts: number }[])[0]!.avg_ts;
}

/** One streamed /v1 request with ignore_eos; decode rate from the first content chunk to the last. */
async function decodeThroughV1(model: string, kind: 'completions' | 'chat'): Promise<number> {
  const body =
    kind === 'chat'
      ? { model, messages: [{ role: 'user', content: QUESTION }] }
      : { model, prompt: PROMPT };
  const res = await fetch(`${server.url}/v1/${kind === 'chat' ? 'chat/completions' : 'completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, max_tokens: TOKENS, temperature: 0, ignore_eos: true, stream: true, stream_options: { include_usage: true } }),
  });
  if (!res.ok || !res.body) throw new Error(`${kind}: HTTP ${res.status} ${await res.text()}`);
  let first = 0;
  let last = 0;
  let completionTokens = 0;
  const sse = new SseParser();
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    for (const { data } of sse.push(chunk)) {
      if (data === '[DONE]') continue;
      const parsed = JSON.parse(data);
      if (parsed.usage) completionTokens = parsed.usage.completion_tokens;
      if (parsed.choices?.[0]?.delta?.content ?? parsed.choices?.[0]?.text) {
        last = performance.now();
        first ||= last;
      }
    }
  }
  if (completionTokens !== TOKENS) throw new Error(`${kind} on ${model} made ${completionTokens} tokens, not ${TOKENS}`);
  return (completionTokens - 1) / ((last - first) / 1000);
}

function loadAverage() {
  return round2(loadavg()[0]!);
}

function round2(v: number) {
  return Math.round(v * 100) / 100;
}
