import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** The wire shape of every error: the API's `{error: ...}` body, a job's `error`, a worker event. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint: string;
  /** Dataset problems name the line (1-based) and the field. */
  line?: number;
  field?: string;
  details?: unknown;
}

/** An error as a value: a code, a message with the numbers, and a hint saying what to do. */
export class WhetError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly line?: number;
  readonly field?: string;
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; line?: number; field?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'WhetError';
    this.code = code;
    this.hint = opts.hint ?? ERROR_CODES[code].hint;
    this.line = opts.line;
    this.field = opts.field;
    this.details = opts.details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, hint: this.hint };
    if (this.line !== undefined) body.line = this.line;
    if (this.field !== undefined) body.field = this.field;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function isWhetError(e: unknown): e is WhetError {
  return e instanceof WhetError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'WhetError');
}

/** Fill the default hint for a code the worker reported without one. */
export function errorBody(code: string, message: string, hint?: string | null): ErrorBody {
  const known = (code in ERROR_CODES ? code : 'WORKER_FAILED') as ErrorCode;
  return { code: known, message, hint: hint ?? ERROR_CODES[known].hint };
}
