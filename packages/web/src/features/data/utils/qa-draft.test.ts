import { describe, expect, it } from 'vitest';
import { addRow, blankRows, datasetNameFor, deleteRow, draftFromAnswer, excerpt, pairsOf, parseStoredDraft, updateRow } from './qa-draft.ts';

const answer = {
  filename: 'guide.md',
  pairs: [
    { question: 'Q1', answer: 'A1', chunk_index: 0 },
    { question: 'Q2', answer: 'A2', chunk_index: 2 },
  ],
  failures: [{ chunk_index: 1, code: 'NO_PAIRS', message: 'the reply held no question-answer pair' }],
  chunks: [
    { index: 0, text: 'First   chunk\n\ntext' },
    { index: 1, text: 'second' },
    { index: 2, text: 'x'.repeat(1000) },
  ],
  chunks_used: 3,
};

describe('QA drafts', () => {
  it('become numbered rows with the excerpt of the chunks that gave pairs', () => {
    const d = draftFromAnswer(answer);
    expect(d.rows).toEqual([
      { key: 1, question: 'Q1', answer: 'A1', chunk: 0 },
      { key: 2, question: 'Q2', answer: 'A2', chunk: 2 },
    ]);
    expect(d.excerpts[0]).toBe('First chunk text');
    expect(d.excerpts[1]).toBeUndefined();
    expect(d.excerpts[2]).toHaveLength(300);
    expect(d.failures).toHaveLength(1);
    expect([d.chunksUsed, d.chunksTotal]).toEqual([3, 3]);
  });

  it('are edited, deleted and added to by key', () => {
    let d = draftFromAnswer(answer);
    d = updateRow(d, 2, { answer: 'edited' });
    d = deleteRow(d, 1);
    d = addRow(d);
    expect(d.rows).toEqual([
      { key: 2, question: 'Q2', answer: 'edited', chunk: 2 },
      { key: 3, question: '', answer: '', chunk: null },
    ]);
    expect(blankRows(d.rows)).toEqual([2]);
    expect(pairsOf([{ key: 1, question: ' q ', answer: 'a\n', chunk: null }])).toEqual([{ question: 'q', answer: 'a' }]);
  });

  it('survive storage, and anything else in storage is no draft', () => {
    const d = draftFromAnswer(answer);
    expect(parseStoredDraft(JSON.stringify(d))).toEqual(d);
    expect(parseStoredDraft(null)).toBeNull();
    expect(parseStoredDraft('{')).toBeNull();
    expect(parseStoredDraft(JSON.stringify({ filename: 'x', rows: [{ key: 'a' }], excerpts: {}, failures: [] }))).toBeNull();
  });

  it('name a dataset after the document, and cut long excerpts', () => {
    expect(datasetNameFor('handbook.md')).toBe('handbook-qa');
    expect(datasetNameFor('.md')).toBe('document-qa');
    expect(excerpt('abcdef', 4)).toBe('abc…');
  });
});
