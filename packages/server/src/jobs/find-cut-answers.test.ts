import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { describeCutAnswers, findCutAnswers } from './find-cut-answers.ts';

const chat = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

describe('answers that max_seq_len would cut', () => {
  it('are reported by line, with the choice to drop them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whet-cut-'));
    const data = join(dir, 'train.jsonl');
    const long = 'a long answer that goes on '.repeat(12);
    writeFileSync(data, [chat('hi', 'hello'), chat('tell me', long), '', chat('ok?', 'ok'), chat('and again', long)].join('\n') + '\n');
    const cut = await findCutAnswers(data, ensureTinyModel(), 48);
    expect(cut).toEqual({ count: 2, rows: 4, lines: [2, 5] });

    const kept = describeCutAnswers(cut!, 48, false);
    expect(kept.value).toEqual({ count: 2, lines: [2, 5], dropped: false });
    expect(kept.reason).toBe('2 of 4 samples have an answer that max_seq_len 48 cuts (lines 2, 5): they train on the part that fits; set "drop_truncated": true to leave them out, or raise max_seq_len');
    expect(describeCutAnswers(cut!, 48, true).reason).toMatch(/they are left out \(drop_truncated\)$/);
    expect(await findCutAnswers(data, ensureTinyModel(), 4096)).toMatchObject({ count: 0 });
  });

  it('is skipped without a tokenizer.json', async () => {
    expect(await findCutAnswers('/nonexistent.jsonl', mkdtempSync(join(tmpdir(), 'whet-empty-')), 64)).toBeNull();
  });
});
