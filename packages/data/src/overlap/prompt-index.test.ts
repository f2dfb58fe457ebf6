import { afterAll, describe, expect, it } from 'vitest';

import { jsonl, tempDir } from '../testing/temp-dir.ts';
import { countPromptOverlap, PromptIndex, rowPrompt } from './prompt-index.ts';
import { trainingOverlap } from './training-overlap.ts';

const chat = (q: string, a: string, system?: string) => ({
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: q }, { role: 'assistant', content: a }],
});

describe('rowPrompt', () => {
  it('is the user turns joined by newlines, without the system prompt or the answers', () => {
    expect(rowPrompt(chat('Is it good?', 'yes', 'You classify.'))).toBe('Is it good?');
    expect(rowPrompt({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] })).toBe('a\nc');
    expect(rowPrompt({ messages: [{ role: 'assistant', content: 'b' }] })).toBeNull();
    expect(rowPrompt({})).toBeNull(); // a raw text row
  });
});

describe('countPromptOverlap', () => {
  it('counts exact copies, and copies that differ in case, width, spacing or punctuation as normalized only', () => {
    const train = ['Review: great film, loved it', 'Review: dull and slow', '评论：很好看！', 'Review: fine'];
    const test = [
      'Review: great film, loved it', // exact
      'review:   GREAT film loved it.', // normalized
      '评论：很好看!', // full-width "！" written half-width: normalized
      'Review: fine', // exact
      'Review: a new one', // unseen
      null, // no prompt
    ];
    expect(countPromptOverlap(train, test)).toEqual({ exact: 2, normalized: 4, test_rows: 6 });
  });

  it('does not count a test prompt that only contains a training prompt', () => {
    expect(countPromptOverlap(['great'], ['great film', 'not great'])).toEqual({ exact: 0, normalized: 0, test_rows: 2 });
  });

  it('tells exact from normalized matches', () => {
    const index = new PromptIndex();
    index.add('Hello World');
    expect([index.match('Hello World'), index.match('hello, world!'), index.match('hello there')]).toEqual(['exact', 'normalized', null]);
  });
});

describe('trainingOverlap', () => {
  const tmp = tempDir('whet-overlap-');
  afterAll(() => tmp.cleanup());

  it('reads the training prompts from a normalized JSONL file', async () => {
    const path = tmp.write('train.jsonl', jsonl([chat('What colour is the sky?', 'Blue.'), chat('What colour is grass?', 'Green.', 'Be brief.'), { text: 'raw text' }]));
    const r = await trainingOverlap(path, ['What colour is the sky?', 'what colour is  grass', 'What colour is snow?']);
    expect(r).toEqual({ exact: 1, normalized: 2, test_rows: 3 });
  });
});
