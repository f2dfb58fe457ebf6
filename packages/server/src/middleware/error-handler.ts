import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isWhetError, WhetError } from '@whetstone/core';
import { logger } from '../logger.ts';

/** One place maps errors to responses: `{error: {code, message, hint}}` with the code's status. */
export function onError(err: Error, c: Context) {
  if (isWhetError(err)) {
    return c.json({ error: (err as WhetError).toJSON() }, (err as WhetError).status as 400);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST';
    return c.json({ error: new WhetError(code, err.message || `HTTP ${status}`).toJSON() }, status);
  }
  logger.error('unhandled error', { path: c.req.path, error: String(err?.stack ?? err) });
  return c.json({ error: new WhetError('INTERNAL', String(err?.message ?? err)).toJSON() }, 500);
}

export function notFound(c: Context) {
  return c.json(
    { error: new WhetError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`, { hint: 'See GET /api/v1/openapi.json for the routes.' }).toJSON() },
    404,
  );
}
