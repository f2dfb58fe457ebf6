import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestDataset, type IngestOptions } from './ingest-dataset.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { awkwardChatLines } from '../testing/awkward-chat-lines.ts';
import { SeededRandom } from '../random/seeded-random.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

/**
 * Ingests `content` with the raw-line fast path (its per-line facts in WebAssembly and in
 * TypeScript) and without it, and expects the same result
 * (rows, errors with their lines, statistics, duplicates, preview, checksum) and the same
 * data.jsonl byte for byte.
 */
async function expectSamePaths(content: Buffer, opts: IngestOptions = {}) {
  const file = tmp.write(`${n++}.jsonl`, content);
  const run = async (fastPath: boolean, wasm = true) => {
    const out = join(tmp.dir, `out-${n++}`);
    const result = await ingestDataset(file, out, { ...opts, fastPath, wasm }).catch((e: unknown) => ({ thrown: String(e) }));
    const data = join(out, 'data.jsonl');
    return { result: 'data_path' in result ? { ...result, data_path: result.data_path && 'data.jsonl' } : result, data: existsSync(data) ? readFileSync(data) : null };
  };
  const fast = await run(true);
  const general = await run(false);
  expect(fast.result).toEqual(general.result);
  expect(fast.data?.equals(general.data!) ?? general.data).toBe(fast.data ? true : null);
  // the fast path with the TypeScript reference of the WebAssembly scanner
  const reference = await run(true, false);
  expect(reference.result).toEqual(general.result);
  expect(reference.data?.equals(general.data!) ?? general.data).toBe(fast.data ? true : null);
  return fast;
}

const chat = (...turns: string[]) => ({ messages: turns.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })) });
const lines = (rows: (string | object)[], eol = '\n') => Buffer.from(rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(eol) + eol);

describe('the raw-line fast path gives what the general path gives', () => {
  it('on awkward chat lines mixed with bad ones: CRLF, BOM, blank and invalid lines, lines over the limit', async () => {
    const r = new SeededRandom(11);
    const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
    for (const line of awkwardChatLines(5, 1500)) {
      const v = r.next();
      if (v < 0.02) parts.push(Buffer.from('\n'));
      else if (v < 0.03) parts.push(Buffer.from(' \t \r\n'));
      else if (v < 0.04) parts.push(Buffer.from('{"messages":[{"role":"user","content":"a\xff"}]}\n', 'latin1'));
      else if (v < 0.05) parts.push(Buffer.from(`${JSON.stringify(chat('long '.repeat(500), 'x'))}\n`));
      else if (v < 0.06) parts.push(Buffer.from(`${JSON.stringify(chat('raw', 'x')).replace('raw', r.next() < 0.5 ? 'r\ra\tw' : 'raw\r')}\n`));
      parts.push(Buffer.from(line + (r.next() < 0.2 ? '\r\n' : '\n')));
    }
    parts.push(Buffer.from(JSON.stringify(chat('no newline at the end', 'ok'))));
    const content = Buffer.concat(parts);
    const kept = await expectSamePaths(content, { keepGoodRows: true, maxLineBytes: 2000, maxErrors: 5000 });
    expect(kept.result).toMatchObject({ status: 'ready', format: 'openai' });
    const refused = await expectSamePaths(content, { maxLineBytes: 2000 });
    expect(refused.result).toMatchObject({ status: 'invalid' });
  });

  it('on valid rows: duplicates found across both paths, duplicates up to normalization, a label set', async () => {
    const rows: (string | object)[] = [];
    for (let i = 0; i < 300; i++) {
      rows.push(chat(`Review ${i}: good 😀 \u2028 数据`, i % 3 ? 'positive' : 'negative'));
      rows.push(chat(`review ${i}  GOOD 😀, 数据。`, i % 3 ? 'positive' : ' negative'));
    }
    // the same rows spelt another way: the general path writes them as the fast path reads them
    rows.push('{"messages":[{"role":"user","content":"Review 1: good \\ud83d\\ude00 \\u2028 \\u6570\\u636e"},{"role":"assistant","content":"positive"}]}');
    rows.push('{"messages":[{"content":"Review 2: good 😀 \u2028 数据","role":"user"},{"role":"assistant","content":"positive"}]}');
    rows.push('{"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"q"},{"role":"assistant","content":"positive"}]}');
    rows.push('{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"q"},{"role":"assistant","content":"positive"}]}');
    const { result } = await expectSamePaths(lines(rows));
    expect(result).toMatchObject({ status: 'ready', rows: 604 });
    expect((result as { stats: { duplicates: unknown } }).stats.duplicates).toEqual({ exact: 3, normalized: 303 });
    expect((result as { stats: { label_set: unknown } }).stats.label_set).not.toBeNull();
  });

  it('with the per-line work on worker threads', async () => {
    const content = Buffer.from(awkwardChatLines(9, 1500).join('\n') + '\n');
    const file = tmp.write(`${n++}.jsonl`, content);
    const opts = { keepGoodRows: true, maxErrors: 5000 };
    const one = await ingestDataset(file, join(tmp.dir, `out-${n++}`), { ...opts, threads: 0 });
    const two = await ingestDataset(file, join(tmp.dir, `out-${n++}`), { ...opts, threads: 2 });
    expect({ ...two, data_path: null }).toEqual({ ...one, data_path: null });
    expect(readFileSync(two.data_path!).equals(readFileSync(one.data_path!))).toBe(true);
    expect(one.rows).toBeGreaterThan(500);
  });

  it('across read chunks that end inside multi-byte characters', async () => {
    const rows: object[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 1.2 * (1 << 20); i++) {
      const row = chat(`${'数据😀'.repeat(i % 50)}${i}`, `答${i % 7}`);
      rows.push(row);
      bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    }
    rows.push(rows[10]!);
    const content = lines(rows);
    // the 1 MB chunk boundary falls inside a character (and inside a line) here
    expect(content[1 << 20]! & 0xc0).toBe(0x80);
    const { result } = await expectSamePaths(content);
    expect(result).toMatchObject({ status: 'ready', rows: rows.length });
  });

  it('when the format is found late or is not OpenAI chat', async () => {
    await expectSamePaths(lines([{ id: 1 }, { id: 2 }, chat('q', 'a'), chat('q2', 'a2'), { id: 3 }]), { keepGoodRows: true });
    await expectSamePaths(lines([{ messages: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] }, chat('q', 'a')]), { keepGoodRows: true });
    await expectSamePaths(lines([{ instruction: 'q', output: 'a' }, chat('q', 'a')]), { keepGoodRows: true });
    await expectSamePaths(lines([chat('q', 'a'), chat('q2', 'a2')]), { format: 'openai' });
    await expectSamePaths(lines([chat('q', 'a')]), { format: 'sharegpt', keepGoodRows: true });
    await expectSamePaths(lines(['', '  ', '{"messages":[{"role":"user","content":"a\\u0000"},{"role":"assistant","content":"\\u001f"}]}']));
  });
});
