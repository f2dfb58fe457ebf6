import type { ErrorCode } from '@whetstone/core';

/** Codes the console adds for failures that never reached the API's error body. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

/**
 * An API failure as a value: the server's `{code, message, hint}` (dataset problems add line
 * and field), or NETWORK when the server could not be reached.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly hint: string | null;
  readonly line?: number;
  readonly field?: string;
  /** Structured extras some codes carry (IN_USE: `{users}`). */
  readonly details?: unknown;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, opts: { hint?: string | null; line?: number; field?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = opts.hint ?? null;
    this.line = opts.line;
    this.field = opts.field;
    this.details = opts.details;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; hint?: string; line?: number; field?: string; details?: unknown };
}

/** Turn a non-2xx response into an ApiError carrying the server's code, message and hint. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: a proxy's page, an empty body
  }
  const e = body?.error;
  if (!e?.code) return new ApiError(res.status, 'BAD_RESPONSE', `HTTP ${res.status} ${res.statusText}`.trim());
  return new ApiError(res.status, e.code as ErrorCode, e.message ?? '', { hint: e.hint, line: e.line, field: e.field, details: e.details });
}

/**
 * An error the server stored on a resource (a failed job, export, deployment or evaluation
 * column: `{code, message, hint}`), as an ApiError so ErrorMessage shows it like any other.
 */
export function storedError(e: { code: string; message: string; hint?: string; line?: number; field?: string; details?: unknown }): ApiError {
  return new ApiError(0, e.code as ErrorCode, e.message, { hint: e.hint, line: e.line, field: e.field, details: e.details });
}

/** A fetch that threw (server down, network gone) becomes NETWORK. */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
}
