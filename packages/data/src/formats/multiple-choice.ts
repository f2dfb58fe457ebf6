import type { MultipleChoiceRow } from '../types.ts';
import { invalidValue, missingField, wrongType } from '../errors/field-errors.ts';
import type { FieldReader } from './field-reader.ts';

/** Choice letters: A-D in MMLU, C-Eval and CMMLU; a plain file may have up to ten choices. */
export const CHOICE_LETTERS = 'ABCDEFGHIJ';
const MIN_CHOICES = 2;

/**
 * MMLU (question, A, B, C, D, answer letter, subject?: a CSV without header as released, or
 * JSONL), C-Eval (id, question, A-D, answer, explanation) and CMMLU (Question, A-D, Answer):
 * the choices are the letter columns in order, the answer is their letter.
 */
export function normalizeLetterColumns(questionKey: string, answerKey: string) {
  return (rec: Record<string, unknown>, r: FieldReader): MultipleChoiceRow | null => {
    const question = r.text(rec, questionKey, questionKey, 'the question');
    const choices: string[] = [];
    for (const letter of CHOICE_LETTERS) {
      if (!(letter in rec)) break;
      const c = choiceText(rec[letter], letter, r);
      if (c !== undefined) choices.push(c);
    }
    if (choices.length < MIN_CHOICES) r.fail(missingField(r.line, CHOICE_LETTERS[choices.length]!, `choice ${CHOICE_LETTERS[choices.length]} (columns A, B, C, D hold the choices)`));
    const answer = r.text(rec, answerKey, answerKey, `the letter of the right choice (${letterRange(Math.max(choices.length, 4))})`);
    const subject = r.optionalText(rec, 'subject', 'subject');
    if (!r.ok || question === undefined || answer === undefined) return null;
    const index = letterIndex(answer, choices.length);
    if (index === null) {
      r.fail(invalidValue(r.line, answerKey, `must be the letter of a choice (${letterRange(choices.length)}), got ${JSON.stringify(answer)}.`));
      return null;
    }
    return row(question, choices, index, subject);
  };
}

/**
 * A plain multiple-choice row: {question, choices: [...], answer, subject?}, the answer a letter
 * ("B"), a 0-based index (1) or the right choice's text. Hugging Face's cais/mmlu rows have this shape.
 */
export function normalizeChoiceList(rec: Record<string, unknown>, r: FieldReader): MultipleChoiceRow | null {
  const question = r.text(rec, 'question', 'question', 'the question');
  const list = r.array(rec, 'choices', 'choices', `${MIN_CHOICES} to ${CHOICE_LETTERS.length} answer choices`);
  const choices: string[] = [];
  list?.forEach((c, i) => {
    const t = choiceText(c, `choices[${i}]`, r);
    if (t !== undefined) choices.push(t);
  });
  if (list && (list.length < MIN_CHOICES || list.length > CHOICE_LETTERS.length)) {
    r.fail(invalidValue(r.line, 'choices', `must hold ${MIN_CHOICES} to ${CHOICE_LETTERS.length} choices, got ${list.length}.`));
  }
  const subject = r.optionalText(rec, 'subject', 'subject');
  const answer = rec.answer;
  if (answer === undefined || answer === null || answer === '') {
    r.fail(missingField(r.line, 'answer', 'the right choice: its letter ("B"), 0-based index (1) or text'));
    return null;
  }
  if (!r.ok || question === undefined) return null;
  const index = answerIndex(answer, choices);
  if (index === null) {
    const what = typeof answer === 'number' ? `an index from 0 to ${choices.length - 1}` : `a letter (${letterRange(choices.length)}) or the text of one of the choices`;
    r.fail(
      typeof answer === 'number' || typeof answer === 'string'
        ? invalidValue(r.line, 'answer', `must be ${what}, got ${JSON.stringify(answer)}.`)
        : wrongType(r.line, 'answer', 'a letter, an index or a choice text', answer),
    );
    return null;
  }
  return row(question, choices, index, subject);
}

function choiceText(v: unknown, field: string, r: FieldReader): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // "True"/"1" as choices in JSON
  if (typeof v !== 'string') {
    r.fail(wrongType(r.line, field, 'a string', v));
    return undefined;
  }
  if (v.trim() === '') {
    r.fail(invalidValue(r.line, field, 'is empty. Give the choice text, or remove the row.'));
    return undefined;
  }
  return v;
}

function answerIndex(answer: unknown, choices: string[]): number | null {
  if (typeof answer === 'number') return Number.isInteger(answer) && answer >= 0 && answer < choices.length ? answer : null;
  if (typeof answer !== 'string') return null;
  const byLetter = letterIndex(answer, choices.length);
  if (byLetter !== null) return byLetter;
  const byText = choices.indexOf(answer);
  return byText >= 0 ? byText : null;
}

function letterIndex(answer: string, count: number): number | null {
  const t = answer.trim().toUpperCase();
  const i = t.length === 1 ? CHOICE_LETTERS.indexOf(t) : -1;
  return i >= 0 && i < count ? i : null;
}

function letterRange(count: number): string {
  return `${CHOICE_LETTERS[0]}-${CHOICE_LETTERS[Math.max(count, 1) - 1]}`;
}

function row(question: string, choices: string[], answerIndex: number, subject: string | undefined): MultipleChoiceRow {
  return subject ? { question, choices, answer_index: answerIndex, subject } : { question, choices, answer_index: answerIndex };
}
