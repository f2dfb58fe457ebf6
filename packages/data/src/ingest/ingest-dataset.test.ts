import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestDataset, type IngestOptions } from './ingest-dataset.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

async function ingest(name: string, content: string | Buffer, opts: IngestOptions = {}) {
  const file = tmp.write(`${n++}-${name}`, content);
  const out = join(tmp.dir, `out-${n}`);
  const result = await ingestDataset(file, out, { filename: name, ...opts });
  return { result, out, rows: () => readFileSync(join(out, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) };
}
const fail = (name: string, content: string | Buffer, opts: IngestOptions = {}) => ingest(name, content, opts).then(() => null, (e: unknown) => e as { code: string; message: string; hint: string });

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

describe('formats and containers round-trip to the internal form', () => {
  const alpaca = [
    { instruction: 'Say hi', input: '', output: 'Hi 😀' },
    { instruction: '翻译', input: 'cat', output: '猫', system: 'Be brief.' },
  ];
  const alpacaWant = [chat('Say hi', 'Hi 😀'), { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: '翻译\ncat' }, { role: 'assistant', content: '猫' }] }];

  it('alpaca in JSONL, a JSON array and CSV', async () => {
    for (const [name, text] of [
      ['a.jsonl', jsonl(alpaca)],
      ['a.json', JSON.stringify(alpaca, null, 2)],
      ['a.csv', 'instruction,input,output,system\nSay hi,,Hi 😀,\n翻译,cat,猫,Be brief.\n'],
    ] as const) {
      const { result, rows } = await ingest(name, text);
      expect(result).toMatchObject({ format: 'alpaca', status: 'ready', rows: 2, dropped_rows: 0, errors: [], purpose: 'sft' });
      expect(rows()).toEqual(alpacaWant);
      expect(result.preview).toEqual(alpacaWant);
    }
  });

  it('sharegpt, OpenAI chat, preference pairs and raw text in JSONL', async () => {
    const share = await ingest('s.jsonl', jsonl([{ conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] }]));
    expect(share.result.format).toBe('sharegpt');
    expect(share.rows()).toEqual([chat('q', 'a')]);

    const openai = await ingest('o.jsonl', jsonl([chat('q', 'a')]));
    expect(openai.result.format).toBe('openai');
    expect(openai.rows()).toEqual([chat('q', 'a')]);

    const pref = await ingest('p.jsonl', jsonl([{ prompt: 'q', chosen: 'good', rejected: 'bad' }]));
    expect(pref.result).toMatchObject({ format: 'preference', purpose: 'preference' });
    expect(pref.rows()).toEqual([{ messages: [{ role: 'user', content: 'q' }], chosen: { role: 'assistant', content: 'good' }, rejected: { role: 'assistant', content: 'bad' } }]);

    const text = await ingest('t.jsonl', jsonl([{ text: 'Once upon a time.' }]));
    expect(text.result).toMatchObject({ format: 'text', purpose: 'pretrain' });
    expect(text.rows()).toEqual([{ text: 'Once upon a time.' }]);
  });

  it('.txt by paragraphs and .md by headings', async () => {
    const txt = await ingest('book.txt', 'First paragraph\nstill first.\n\n\nSecond.\r\n');
    expect(txt.rows()).toEqual([{ text: 'First paragraph\nstill first.' }, { text: 'Second.' }]);
    expect(txt.result.format).toBe('text');
    const md = await ingest('doc.md', '# A\n\ntext a\n\n```\ncode\n\n# not a heading\n```\n## B\ntext b\n');
    expect(md.rows()).toEqual([{ text: '# A\n\ntext a\n\n```\ncode\n\n# not a heading\n```' }, { text: '## B\ntext b' }]);
  });

  it('Parquet (snappy and zstd), with row numbers in errors', async () => {
    const fixture = (f: string) => readFileSync(fileURLToPath(new URL(`../containers/fixtures/${f}`, import.meta.url)));
    const chatPq = await ingest('c.parquet', fixture('chat.parquet'), { keepGoodRows: true });
    expect(chatPq.result).toMatchObject({ format: 'openai', container: 'parquet', rows: 2, dropped_rows: 1 });
    expect(chatPq.result.errors).toEqual([expect.objectContaining({ line: 3, field: 'messages', code: 'no_assistant_turn' })]);
    expect(chatPq.rows()[0]).toEqual(chat('Hi', 'Hello! 😀'));
    const alp = await ingest('a.parquet', fixture('alpaca.parquet'));
    expect(alp.result).toMatchObject({ format: 'alpaca', status: 'invalid', rows: 2 });
    expect(alp.result.errors[0]).toMatchObject({ line: 3, field: 'instruction', code: 'empty_field' });
    expect(alp.result.sha256).toBe(createHash('sha256').update(fixture('alpaca.parquet')).digest('hex'));
  });

  it('takes a named format instead of detecting it', async () => {
    const { result } = await ingest('x.jsonl', jsonl([{ text: 'a', instruction: 'q', output: 'a' }]), { format: 'text' });
    expect(result.status).toBe('invalid');
    expect(result.errors[0]).toMatchObject({ code: 'mixed_formats', field: 'instruction' });
    await expect(ingest('y.jsonl', jsonl([{ text: 'a' }]), { format: 'nope' as never })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('awkward but valid files are accepted', () => {
  it('BOM, CRLF, blank lines, emoji and a trailing line without newline', async () => {
    const text = '\uFEFF' + [chat('hi 👋🏽', 'hé 😀'), chat('你好', '你好！')].map((r) => JSON.stringify(r)).join('\r\n\r\n\r\n') + '\r\n   \r\n' + JSON.stringify(chat('x', 'y'));
    const { result, rows } = await ingest('a.jsonl', text);
    expect(result).toMatchObject({ status: 'ready', rows: 3, errors: [] });
    expect(rows()[0]).toEqual(chat('hi 👋🏽', 'hé 😀'));
  });

  it('a JSON array on one line, with a BOM', async () => {
    const { result } = await ingest('a.json', '\uFEFF' + JSON.stringify([chat('a', 'b'), chat('c', 'd')]));
    expect(result).toMatchObject({ status: 'ready', rows: 2, container: 'json' });
  });
});

describe('every error kind is reported on its line and field', () => {
  const good = JSON.stringify({ instruction: 'q', output: 'a' });
  const lines = [
    good, // 1
    '{"instruction": "q", "output": }', // 2 invalid JSON
    '', // 3 blank
    JSON.stringify({ instruction: 'q' }), // 4 missing
    JSON.stringify({ instruction: '', output: 'a' }), // 5 empty
    JSON.stringify({ instruction: 'q', output: 42 }), // 6 wrong type
    JSON.stringify(chat('q', 'a')), // 7 mixed formats
    '[1, 2]', // 8 not an object
    good, // 9
  ];

  it('with the fix in the message, counted by kind; nothing is written by default', async () => {
    const { result, out } = await ingest('a.jsonl', lines.join('\n') + '\n');
    expect(result.status).toBe('invalid');
    expect(result.rows).toBe(2);
    expect(result.dropped_rows).toBe(6);
    expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, undefined, 'invalid_json'],
      [4, 'output', 'missing_field'],
      [5, 'instruction', 'empty_field'],
      [6, 'output', 'wrong_type'],
      [7, 'messages', 'mixed_formats'],
      [8, undefined, 'wrong_type'],
    ]);
    expect(result.errors[0]!.message).toContain('column 32');
    expect(result.error_counts).toEqual({ invalid_json: 1, missing_field: 1, empty_field: 1, wrong_type: 2, mixed_formats: 1 });
    expect(result.data_path).toBeNull();
    expect(existsSync(join(out, 'data.jsonl'))).toBe(false);
    expect(readdirSync(out)).toEqual([]); // no temp file left behind
  });

  it('keeps the good rows when asked and reports the dropped ones', async () => {
    const { result, rows } = await ingest('a.jsonl', lines.join('\n'), { keepGoodRows: true });
    expect(result).toMatchObject({ status: 'ready', rows: 2, dropped_rows: 6 });
    expect(rows()).toHaveLength(2);
  });

  it('invalid UTF-8, unknown roles, roles out of order, no assistant turn', async () => {
    const buf = Buffer.concat([
      Buffer.from(JSON.stringify(chat('a', 'b')) + '\n'),
      Buffer.from('{"messages": [{"role": "user", "content": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}]}\n'),
      Buffer.from(JSON.stringify({ messages: [{ role: 'human', content: 'x' }] }) + '\n'),
      Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }, { role: 'assistant', content: 'z' }] }) + '\n'),
      Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }) + '\n'),
    ]);
    const { result } = await ingest('a.jsonl', buf);
    expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, undefined, 'invalid_utf8'],
      [3, 'messages[0].role', 'unknown_role'],
      [4, 'messages[1].role', 'role_order'],
      [5, 'messages', 'no_assistant_turn'],
    ]);
    expect(result.errors[0]!.message).toContain('byte 47');
    expect(result.errors[1]!.message).toContain('"user"');
  });

  it('lists at most maxErrors and counts them all', async () => {
    const many = Array.from({ length: 500 }, () => '{bad').join('\n') + '\n' + good;
    const { result } = await ingest('a.jsonl', many, { maxErrors: 10 });
    expect(result.errors).toHaveLength(10);
    expect(result.error_counts).toEqual({ invalid_json: 500 });
    expect(result.dropped_rows).toBe(500);
  });
});

describe('files that cannot be a dataset are refused at once', () => {
  it('empty, binary, unknown format, nothing readable', async () => {
    expect(await fail('a.jsonl', '')).toMatchObject({ code: 'DATASET_EMPTY' });
    expect(await fail('a.json', '[]')).toMatchObject({ code: 'DATASET_EMPTY' });
    expect(await fail('a.csv', 'instruction,output\n')).toMatchObject({ code: 'DATASET_EMPTY' });
    expect(await fail('a.bin', Buffer.from([0x00, 0x01, 0x02, 0xff]))).toMatchObject({ code: 'DATASET_FORMAT_UNKNOWN' });
    const unknown = await fail('a.jsonl', jsonl([{ question: 'q', answer: 'a' }]));
    expect(unknown).toMatchObject({ code: 'DATASET_FORMAT_UNKNOWN' });
    expect(unknown!.message).toContain('"question", "answer"');
    const trailingComma = await ingest('a.json', JSON.stringify([chat('a', 'b'), chat('c', 'd')], null, 2).replace(/\n\]$/, ',\n]'));
    expect(trailingComma.result.status).toBe('invalid'); // not silently accepted: other tools refuse this file
    expect(trailingComma.result.errors.map((e) => [e.line, e.code])).toEqual([[25, 'invalid_json']]);
    expect(trailingComma.result.errors[0]!.message).toMatch(/column 4: a trailing ","/);
    const garbage = await fail('a.jsonl', '{not json\n{also not\n');
    expect(garbage).toMatchObject({ code: 'DATASET_FORMAT_UNKNOWN' });
    expect(garbage!.message).toContain('line 1');
  });
});

describe('hostile input is harmless', () => {
  it('a file over the upload cap', async () => {
    const e = await fail('a.jsonl', jsonl([chat('a', 'b'), chat('c', 'd')]), { maxBytes: 50 });
    expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(e!.message).toMatch(/over the 0\.0 MB upload limit/);
  });

  it('a huge line is refused and the rest read', async () => {
    const huge = JSON.stringify(chat('a', 'x'.repeat(300_000)));
    const { result } = await ingest('a.jsonl', [JSON.stringify(chat('a', 'b')), huge, JSON.stringify(chat('c', 'd'))].join('\n'), { maxLineBytes: 100_000, keepGoodRows: true });
    expect(result.rows).toBe(2);
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, code: 'line_too_long' })]);
  });

  it('deep nesting is refused without a stack overflow', async () => {
    const deep = '{"messages": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const { result } = await ingest('a.jsonl', [JSON.stringify(chat('a', 'b')), deep].join('\n'), { keepGoodRows: true });
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, code: 'too_deep' })]);
  });

  it('a Parquet zip bomb is refused before it inflates', async () => {
    const bomb = readFileSync(fileURLToPath(new URL('../containers/fixtures/bomb.parquet', import.meta.url)));
    expect(bomb.length).toBeLessThan(10_000);
    const e = await fail('b.parquet', bomb, { maxDecompressedBytes: 16 << 20 });
    expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('the result', () => {
  it('carries the checksum, size and statistics', async () => {
    const text = jsonl([chat('a', 'b'), chat('a', 'b'), chat('A!', 'b')]);
    const { result } = await ingest('a.jsonl', text);
    expect(result.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(result.size_bytes).toBe(Buffer.byteLength(text));
    expect(result.stats).toMatchObject({ rows: 3, duplicates: { exact: 1, normalized: 2 }, tokens: null });
  });
});
