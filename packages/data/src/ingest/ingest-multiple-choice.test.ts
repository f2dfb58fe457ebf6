import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestDataset } from './ingest-dataset.ts';
import { jsonl, tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

async function ingest(name: string, content: string) {
  const file = tmp.write(`${n++}-${name}`, content);
  const out = join(tmp.dir, `out-${n}`);
  const result = await ingestDataset(file, out, { filename: name });
  const rows = () => readFileSync(join(out, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { result, rows };
}

const q1 = { question: 'Find 1+1.', choices: ['1', '2', '3', '4'], answer_index: 1 };

describe('multiple-choice files in the layouts people have', () => {
  it("MMLU's released CSV (no header; subject from the file name) and MMLU JSONL", async () => {
    const csv = await ingest('abstract_algebra_test.csv', 'Find 1+1.,1,2,3,4,B\n"Which, of these?",x,y,z,w,D\n');
    expect(csv.result).toMatchObject({ format: 'mmlu', purpose: 'multiple_choice', status: 'ready', rows: 2 });
    expect(csv.rows()).toEqual([
      { ...q1, subject: 'abstract_algebra' },
      { question: 'Which, of these?', choices: ['x', 'y', 'z', 'w'], answer_index: 3, subject: 'abstract_algebra' },
    ]);
    const lines = await ingest('mmlu.jsonl', jsonl([{ question: 'Find 1+1.', A: '1', B: '2', C: '3', D: '4', answer: 'b', subject: 'math' }]));
    expect(lines.result.format).toBe('mmlu');
    expect(lines.rows()).toEqual([{ ...q1, subject: 'math' }]);
  });

  it('C-Eval and CMMLU CSV with their headers', async () => {
    const ceval = await ingest('accountant_val.csv', 'id,question,A,B,C,D,answer,explanation\n0,一加一等于几？,1,2,3,4,B,因为\n');
    expect(ceval.result).toMatchObject({ format: 'ceval', purpose: 'multiple_choice', rows: 1 });
    expect(ceval.rows()).toEqual([{ question: '一加一等于几？', choices: ['1', '2', '3', '4'], answer_index: 1, subject: 'accountant' }]);
    const cmmlu = await ingest('agronomy.csv', ',Question,A,B,C,D,Answer\n0,一加一等于几？,1,2,3,4,C\n');
    expect(cmmlu.result).toMatchObject({ format: 'cmmlu', rows: 1 });
    expect(cmmlu.rows()).toEqual([{ question: '一加一等于几？', choices: ['1', '2', '3', '4'], answer_index: 2 }]);
  });

  it('plain JSONL: the answer as a letter, a 0-based index or the choice text', async () => {
    const { result, rows } = await ingest('plain.jsonl', jsonl([
      { question: 'Find 1+1.', choices: ['1', '2', '3', '4'], answer: 'B' },
      { question: 'Find 1+1.', choices: ['1', '2', '3', '4'], answer: 1, subject: 'math' },
      { question: 'Find 1+1.', choices: ['1', '2', '3', '4'], answer: '2' },
    ]));
    expect(result).toMatchObject({ format: 'choices', purpose: 'multiple_choice', rows: 3 });
    expect(rows()).toEqual([q1, { ...q1, subject: 'math' }, q1]);
  });

  it('names the line and field of every bad row', async () => {
    const { result } = await ingest('bad.jsonl', jsonl([
      { question: 'ok', choices: ['a', 'b'], answer: 0 },
      { question: 'q', choices: ['a', 'b'], answer: 'C' },
      { question: 'q', choices: ['a'], answer: 0 },
      { question: '', choices: ['a', 'b'], answer: 0 },
      { question: 'q', choices: ['a', 7, null], answer: 5 },
    ]));
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'answer'],
      [3, 'choices'],
      [4, 'question'],
      [5, 'choices[2]'],
    ]);
    expect(result.errors[0]!.message).toContain('A-B');

    const csv = await ingest('x_test.csv', 'question,A,B,C,D,answer\nq,1,2,3,4,E\nq,1,,3,4,A\n');
    expect(csv.result.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, 'answer', 'invalid_value'],
      [3, 'B', 'invalid_value'],
    ]);
  });
});
