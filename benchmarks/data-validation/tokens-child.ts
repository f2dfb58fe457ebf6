/**
 * Child process of the benchmark: counts the tokens of every message content of the file with
 * @whetstone/data's tokenizer (tokenizers.js plus our BPE fast path) and prints the totals.
 */
import { loadTokenizer } from '../../packages/data/src/index.ts';
import { readJsonlLines } from '../../packages/data/src/io/read-jsonl-lines.ts';

const [file, tokenizer, maxBytesArg] = process.argv.slice(2) as [string, string, string];
const maxBytes = Number(maxBytesArg);
const tok = loadTokenizer(tokenizer);
let tokens = 0;
let bytes = 0;
let texts = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
outer: for await (const line of readJsonlLines(file)) {
  for (const m of (JSON.parse(line) as { messages: { content: string }[] }).messages) {
    tokens += tok.count(m.content);
    bytes += Buffer.byteLength(m.content);
    texts++;
  }
  if (bytes >= maxBytes) break outer;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, tokens, text_bytes: bytes, texts, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
