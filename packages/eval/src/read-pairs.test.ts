import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isWhetError, type WhetError } from '@whetstone/core';

import { readPairs } from './read-pairs.ts';

const dir = mkdtempSync(join(tmpdir(), 'whet-read-pairs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const failure = async (path: string): Promise<WhetError> => {
  try {
    await readPairs(path);
  } catch (e) {
    if (isWhetError(e)) return e;
    throw e;
  }
  throw new Error('readPairs did not fail');
};

describe('readPairs', () => {
  it('reads our fields and LLaMA-Factory\'s predict/label, skipping blank lines and a BOM', async () => {
    const p = file('ok.jsonl', '\uFEFF{"prediction": "a", "reference": "b"}\n\n{"predict": "", "label": "中文"}\r\n');
    expect(await readPairs(p)).toEqual([
      { prediction: 'a', reference: 'b' },
      { prediction: '', reference: '中文' },
    ]);
  });

  it('names the line and field of a bad line', async () => {
    const ok = '{"prediction": "a", "reference": "b"}\n';
    let e = await failure(file('json.jsonl', ok + ok + '{"prediction": "a", \n'));
    expect(e).toMatchObject({ code: 'DATASET_INVALID', line: 3 });
    expect(e.message).toMatch(/json\.jsonl line 3 is not valid JSON/);
    e = await failure(file('missing.jsonl', ok + '{"prediction": "a"}\n'));
    expect(e).toMatchObject({ code: 'DATASET_INVALID', line: 2, field: 'reference' });
    expect(e.message).toMatch(/line 2 has no "reference" field/);
    e = await failure(file('type.jsonl', '{"prediction": null, "reference": "b"}\n'));
    expect(e).toMatchObject({ line: 1, field: 'prediction' });
    expect(e.message).toMatch(/"prediction" must be a string, got null/);
    e = await failure(file('array.jsonl', '["a", "b"]\n'));
    expect(e.message).toMatch(/line 1 is not a JSON object/);
  });

  it('refuses an empty file and a missing one', async () => {
    expect((await failure(file('empty.jsonl', '\n\n'))).code).toBe('DATASET_EMPTY');
    expect((await failure(join(dir, 'nope.jsonl'))).code).toBe('NOT_FOUND');
  });
});
