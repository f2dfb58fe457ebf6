/**
 * Child process of the benchmark: ingests (validation + normalization + statistics, no
 * tokenizer) one file and prints its timing and peak RSS as JSON. BENCH_FAST_PATH=0 turns the
 * raw-line fast path off, BENCH_WASM=0 gives it the TypeScript scanner instead of the
 * WebAssembly one, BENCH_THREADS=n gives it n worker threads.
 */
import { ingestDataset } from '../../packages/data/src/index.ts';

const [file, outDir] = process.argv.slice(2) as [string, string];
/** Worker threads for the per-line work (ingestDataset's `threads`; 0, its default, when unset). */
const threads = Number(process.env.BENCH_THREADS ?? 0);
/** BENCH_FAST_PATH=0: every line the general way (the baseline the fast path is compared with). */
const fastPath = process.env.BENCH_FAST_PATH !== '0';
/** BENCH_WASM=0: the fast path's per-line facts from the TypeScript reference of the WebAssembly scanner. */
const wasm = process.env.BENCH_WASM !== '0';
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = await ingestDataset(file, outDir, { threads, fastPath, wasm });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    seconds,
    threads,
    fast_path: fastPath,
    wasm,
    // CPU time of this process (user + system): on a shared machine, wall time also counts waiting for a core
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    rows: r.rows,
    status: r.status,
    size_bytes: r.size_bytes,
    duplicates: r.stats.duplicates,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
