/**
 * Child process of the benchmark: ingests (validation + normalization + statistics, no
 * tokenizer) one file and prints its timing and peak RSS as JSON.
 */
import { ingestDataset } from '../../packages/data/src/index.ts';

const [file, outDir] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
const r = await ingestDataset(file, outDir);
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds,
    rows: r.rows,
    status: r.status,
    size_bytes: r.size_bytes,
    duplicates: r.stats.duplicates,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
