import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicWriter } from './atomic-writer.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('AtomicWriter', () => {
  it('writes every line in order while flushes overlap with filling the next blocks', async () => {
    const path = join(tmp.dir, 'a', 'data.jsonl');
    const w = await AtomicWriter.create(path);
    const want: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const line = i % 997 === 0 ? `${i} ${'长'.repeat(400_000)}` : `{"i":${i},"t":"数据 ${'x'.repeat(i % 300)}"}`; // some lines over a block
      want.push(line);
      if (i % 2 === 0) w.writeLine(line);
      else w.writeBytes(Buffer.from(line));
      if (w.pending >= 1 << 20) await w.flush();
    }
    expect(existsSync(path)).toBe(false); // nothing where readers look before the commit
    await w.commit();
    expect(readFileSync(path, 'utf8')).toBe(want.join('\n') + '\n');
    expect(readdirSync(join(tmp.dir, 'a'))).toEqual(['data.jsonl']);
  });

  it('leaves nothing behind when aborted with a write in flight', async () => {
    const path = join(tmp.dir, 'b', 'data.jsonl');
    const w = await AtomicWriter.create(path);
    for (let i = 0; i < 5000; i++) w.writeLine('y'.repeat(1000));
    await w.flush(); // started, not finished
    await w.abort();
    expect(readdirSync(join(tmp.dir, 'b'))).toEqual([]);
  });
});
