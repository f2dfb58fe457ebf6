import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isWhetError, WhetError, type ErrorBody } from '@whetstone/core';
import { logger } from '../logger.ts';

/** OpenAI's error body: what the official SDKs parse into APIError. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; hint?: string };
}

const OPENAI_CODES: Partial<Record<string, string>> = {
  CONTEXT_LENGTH_EXCEEDED: 'context_length_exceeded',
  MODEL_NOT_FOUND: 'model_not_found',
  DEPLOYMENT_NOT_FOUND: 'model_not_found',
  UNAUTHORIZED: 'invalid_api_key',
  QUEUE_FULL: 'rate_limit_exceeded',
  RATE_LIMITED: 'rate_limit_exceeded',
  INVALID_JSON: 'invalid_json',
  REQUEST_TIMEOUT: 'timeout',
  JOB_NOT_FOUND: 'fine_tuning_job_not_found',
  NOT_FOUND: 'not_found',
  DATASET_INVALID: 'invalid_file',
};

const typeFor = (status: number) =>
  status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';

/** A Whetstone error in OpenAI's shape {error: {message, type, param, code}} (plus our hint). */
export function toOpenAiError(body: ErrorBody, status: number): OpenAiErrorBody {
  const param = body.field ?? (body.code === 'CONTEXT_LENGTH_EXCEEDED' ? 'messages' : body.code === 'MODEL_NOT_FOUND' ? 'model' : null);
  return {
    error: { message: body.message, type: typeFor(status), param, code: OPENAI_CODES[body.code] ?? body.code.toLowerCase(), hint: body.hint },
  };
}

/**
 * Where an error says when to come back (`details.retry_after_s`: RATE_LIMITED, QUEUE_FULL, and
 * CAPACITY_EXCEEDED while busy models fill the memory budget), tell the client in Retry-After.
 */
export function setRetryAfter(err: unknown, c: Context) {
  const retry = isWhetError(err) ? (err.details as { retry_after_s?: number } | undefined)?.retry_after_s : undefined;
  if (retry !== undefined) c.header('Retry-After', String(retry));
}

/** The /v1 error handler: every failure, ours or the framework's, in OpenAI's shape. */
export function openAiOnError(err: Error, c: Context) {
  setRetryAfter(err, c);
  let whet: WhetError;
  if (isWhetError(err)) whet = err as WhetError;
  else if (err instanceof HTTPException) {
    whet = new WhetError(err.status === 413 ? 'PAYLOAD_TOO_LARGE' : err.status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', err.message || `HTTP ${err.status}`);
  } else {
    logger.error('unhandled error', { path: c.req.path, error: String(err?.stack ?? err) });
    whet = new WhetError('INTERNAL', String(err?.message ?? err));
  }
  const status = err instanceof HTTPException ? err.status : whet.status;
  return c.json(toOpenAiError(whet.toJSON(), status), status as 400);
}

export function openAiNotFound(c: Context) {
  const body = new WhetError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`, {
    hint: 'The OpenAI-compatible API serves /v1/chat/completions, /v1/completions, /v1/models, /v1/files and /v1/fine_tuning/jobs.',
  }).toJSON();
  return c.json(toOpenAiError(body, 404), 404);
}
