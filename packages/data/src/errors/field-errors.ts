import type { LineError } from '../types.ts';
import { typeName } from './type-name.ts';

/** Problems with one field of a row: absent, empty, or of the wrong type. */

export function missingField(line: number, field: string, what: string): LineError {
  return { line, field, code: 'missing_field', message: `"${field}" is missing. Add ${what}.` };
}

export function emptyField(line: number, field: string, what: string): LineError {
  return { line, field, code: 'empty_field', message: `"${field}" is empty. Give ${what}, or remove the row.` };
}

export function wrongType(line: number, field: string, expected: string, got: unknown): LineError {
  return {
    line,
    field,
    code: 'wrong_type',
    message: `"${field}" must be ${expected}, got ${typeName(got)}. Change it to ${expected}.`,
  };
}

export function invalidValue(line: number, field: string, detail: string): LineError {
  return { line, field, code: 'invalid_value', message: `"${field}" ${detail}` };
}
