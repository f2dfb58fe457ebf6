import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWhetError } from '@whetstone/core';
import { writeJsonl } from '../../../../test-support/toy-data.ts';
import { loadFewShot, loadTestRows } from './load-test-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'whet-test-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chat = (...turns: [string, string][]) => ({ messages: turns.map(([role, content]) => ({ role, content })) });

describe('loadTestRows', () => {
  it('splits each row into the prompt turns and the reference answer, up to a limit', async () => {
    const path = writeJsonl(join(dir, 'ok.jsonl'), [
      chat(['system', 'Be brief.'], ['user', 'Hi?'], ['assistant', 'Hello.']),
      chat(['user', 'a'], ['assistant', 'b'], ['user', 'c'], ['assistant', 'd']),
      chat(['user', 'x'], ['assistant', 'y']),
    ]);
    expect(await loadTestRows(path, 2)).toEqual([
      { index: 0, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }], reference: 'Hello.' },
      { index: 1, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }], reference: 'd' },
    ]);
  });

  it('refuses a test set whose rows have no reference, naming the lines', async () => {
    const path = writeJsonl(join(dir, 'bad.jsonl'), [chat(['user', 'q'], ['assistant', 'a']), chat(['user', 'no answer']), chat(['user', 'q'], ['assistant', 'a'], ['user', 'again'])]);
    let err: unknown;
    try {
      await loadTestRows(path);
    } catch (e) {
      err = e;
    }
    expect(isWhetError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'DATASET_INVALID', line: 2, field: 'messages' });
    expect((err as Error).message).toBe('the test set has rows without a reference: lines 2, 3 do not end with an assistant answer');
  });
});

describe('loadFewShot', () => {
  it('takes the last question and answer of the first k usable rows', async () => {
    const path = writeJsonl(join(dir, 'shots.jsonl'), [chat(['user', 'no answer']), chat(['system', 's'], ['user', 'q1'], ['assistant', 'a1']), chat(['user', 'q2'], ['assistant', 'a2']), chat(['user', 'q3'], ['assistant', 'a3'])]);
    expect(await loadFewShot(path, 2)).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(await loadFewShot(path, 0)).toEqual([]);
  });
});
