/**
 * Benchmark: validation + statistics over a generated 200 MB chat JSONL (MB/s and peak RSS, in a
 * child process so the generator's memory does not count), and token counting with our
 * tokenizer against the Python `tokenizers` library on the same texts in the same run.
 *
 *   npm run bench -- data-validation
 *   BENCH_MB=50 npx tsx benchmarks/data-validation/run.ts   (a quicker run)
 *
 * Goals: >= 150 MB/s (issue 21; 30 MB/s on one core before), peak RSS < 300 MB; the same ingest
 * with its raw-line fast path off runs first as the baseline. Prints one final JSON line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChatJsonl } from './generate.ts';
import { ensureTinyModel } from '../../test-support/tiny-model.ts';
import { REPO_ROOT, VENV_PYTHON } from '../../test-support/paths.ts';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1 << 20;
const sizeMb = Number(process.env.BENCH_MB ?? 200);
/** Token counting is timed on the first texts up to this size (the same texts on both sides). */
const tokenMb = Number(process.env.BENCH_TOKEN_MB ?? 40);

const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(here, script), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 * MB, env: { ...process.env, ...env } })
      .trim()
      .split('\n')
      .at(-1)!,
  );

const dir = mkdtempSync(join(tmpdir(), 'whet-bench-data-'));
try {
  const file = join(dir, 'chat.jsonl');
  const t0 = performance.now();
  const gen = await generateChatJsonl(file, sizeMb * MB);
  console.log(`generated ${(gen.bytes / MB).toFixed(0)} MB, ${gen.rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // the baseline: the same ingest with every line read the general way (parse, normalize, re-encode)
  /** One ingest of the file in a child (`env`: which path), with its wall and CPU rates. */
  const validate = (out: string, env: Record<string, string> = {}) => {
    const r = tsx('validate-child.ts', [file, join(dir, out)], env);
    return { ...r, mbPerS: gen.bytes / MB / r.seconds, mbPerCpuS: gen.bytes / MB / r.cpu_seconds };
  };
  const base = validate('out-general', { BENCH_FAST_PATH: '0' });
  console.log(
    `validation + statistics, general path only (baseline): ${base.seconds.toFixed(1)} s, ${base.mbPerS.toFixed(1)} MB/s wall, ${base.mbPerCpuS.toFixed(1)} MB per CPU-second, peak RSS ${base.peak_rss_mb} MB`,
  );
  // the fast path as it was before its per-line work moved to WebAssembly: the TypeScript scanner
  const ts = validate('out-typescript', { BENCH_WASM: '0' });
  console.log(
    `validation + statistics, fast path with the TypeScript scanner: ${ts.seconds.toFixed(1)} s, ${ts.mbPerS.toFixed(1)} MB/s wall, ${ts.mbPerCpuS.toFixed(1)} MB per CPU-second, peak RSS ${ts.peak_rss_mb} MB`,
  );
  const v = validate('out');
  console.log(
    `validation + statistics: ${v.seconds.toFixed(1)} s, ${v.mbPerS.toFixed(1)} MB/s wall, ${v.mbPerCpuS.toFixed(1)} MB per CPU-second (${v.cpu_seconds.toFixed(1)} CPU-s), peak RSS ${v.peak_rss_mb} MB (${v.rows} rows, ${v.status}); ${(v.mbPerCpuS / base.mbPerCpuS).toFixed(2)}x the general path in CPU time; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  for (const other of [ts, v]) {
    if (JSON.stringify(base.duplicates) !== JSON.stringify(other.duplicates) || base.rows !== other.rows) throw new Error('the fast path and the general path disagree');
  }

  const demo = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct', 'tokenizer.json');
  const tokenizer = existsSync(demo) ? demo : join(ensureTinyModel(), 'tokenizer.json');
  const tokenizerName = existsSync(demo) ? 'SmolLM2-135M-Instruct' : 'tiny test model (768 tokens)';
  const js = tsx('tokens-child.ts', [file, tokenizer, String(tokenMb * MB)]);
  const jsMbs = js.text_bytes / MB / js.seconds;
  const jsMbCpu = js.text_bytes / MB / js.cpu_seconds;
  console.log(
    `token counting (JS, ${tokenizerName}): ${js.tokens} tokens, ${(js.text_bytes / MB).toFixed(0)} MB of text in ${js.seconds.toFixed(1)} s = ${jsMbs.toFixed(2)} MB/s wall, ${jsMbCpu.toFixed(2)} MB per CPU-second`,
  );

  let py: { tokens: number; seconds_single: number; cpu_seconds_single: number; seconds_batch: number; text_bytes: number; cores: number } | null = null;
  if (existsSync(VENV_PYTHON)) {
    py = JSON.parse(execFileSync(VENV_PYTHON, [join(here, 'tokens_python.py'), file, tokenizer, String(tokenMb * MB)], { encoding: 'utf8' }).trim().split('\n').at(-1)!);
    console.log(
      `token counting (Python tokenizers): one core ${(py!.text_bytes / MB / py!.seconds_single).toFixed(2)} MB/s wall, ${(py!.text_bytes / MB / py!.cpu_seconds_single).toFixed(2)} MB per CPU-second, encode_batch on ${py!.cores} cores ${(py!.text_bytes / MB / py!.seconds_batch).toFixed(2)} MB/s; same token total: ${py!.tokens === js.tokens}`,
    );
  } else console.log('token counting (Python): skipped, no .venv (run npm run setup)');

  const pySingle = py ? py.text_bytes / MB / py.seconds_single : null;
  const pyBatch = py ? py.text_bytes / MB / py.seconds_batch : null;
  console.log(
    JSON.stringify({
      benchmark: 'data-validation',
      file_mb: Math.round(gen.bytes / MB),
      rows: v.rows,
      validation_mb_per_s: round(v.mbPerS),
      validation_mb_per_cpu_s: round(v.mbPerCpuS),
      load_average: round(loadavg()[0]!),
      cores: cpus().length,
      validation_peak_rss_mb: v.peak_rss_mb,
      general_path_mb_per_s: round(base.mbPerS),
      general_path_mb_per_cpu_s: round(base.mbPerCpuS),
      fast_vs_general_cpu_time: round(v.mbPerCpuS / base.mbPerCpuS),
      typescript_scanner_mb_per_s: round(ts.mbPerS),
      typescript_scanner_mb_per_cpu_s: round(ts.mbPerCpuS),
      wasm_vs_typescript_scanner_cpu_time: round(v.mbPerCpuS / ts.mbPerCpuS),
      goals_met: v.mbPerS >= 150 && v.peak_rss_mb < 300,
      tokenizer: tokenizerName,
      token_text_mb: round(js.text_bytes / MB),
      js_tokens_mb_per_s: round(jsMbs),
      python_tokens_mb_per_s_one_core: pySingle && round(pySingle),
      python_tokens_mb_per_s_batch: pyBatch && round(pyBatch),
      js_vs_python_one_core: pySingle && round(jsMbs / pySingle),
      js_vs_python_batch: pyBatch && round(jsMbs / pyBatch),
      js_tokens_mb_per_cpu_s: round(jsMbCpu),
      js_vs_python_one_core_cpu_time: py ? round(jsMbCpu / (py.text_bytes / MB / py.cpu_seconds_single)) : null,
      token_totals_equal: py ? py.tokens === js.tokens : null,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
