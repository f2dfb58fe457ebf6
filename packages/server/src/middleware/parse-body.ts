import type { Context } from 'hono';
import type { z } from 'zod';
import { LABELS_HINT, WhetError } from '@whetstone/core';

/** Render every zod issue at once: "hyperparameters.learning_rate: Too small: expected number to be >0 (got 0)". */
export function zodToWhetError(error: z.ZodError, body: unknown): WhetError {
  const issues = error.issues.map((i) => {
    const path = i.path.join('.');
    const got = valueAt(body, i.path);
    const gotText = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
    return { path, message: `${path || 'body'}: ${i.message}${gotText}` };
  });
  const first = issues[0]?.path ?? '';
  const isHyper = first.startsWith('hyperparameters');
  const removed = error.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.some((k) => RAW_ENDPOINT_FIELDS.includes(k)));
  return new WhetError(isHyper ? 'INVALID_HYPERPARAMETER' : 'INVALID_REQUEST', issues.map((i) => i.message).join('; '), {
    field: first || undefined,
    details: issues,
    hint: removed ? RAW_ENDPOINT_HINT : first.split('.').includes('labels') ? LABELS_HINT : undefined,
  });
}

/** Fields that once let a caller point the server at any URL with any server secret; now a named connection does. */
const RAW_ENDPOINT_FIELDS = ['base_url', 'api_key', 'api_key_env'];
const RAW_ENDPOINT_HINT =
  'Outside endpoints are connections an admin configures: name one with "connection" (GET /api/v1/connections lists them; an admin adds one with POST /api/v1/connections or `whet connections add`).';

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Whether a Content-Type header names JSON (`application/json`, parameters such as charset allowed). */
export const isJsonContentType = (type: string | undefined) => type?.split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * Parse a JSON body with a core schema; bad JSON and bad fields become 400s with every problem named.
 * A body must come as `Content-Type: application/json` (415 otherwise): a web page on another site
 * can POST text/plain or a form without asking, but not JSON, so this keeps pages from driving
 * the API. Where the body is optional it may be left out (no body, no type); a declared non-JSON
 * type is refused even with an empty body.
 */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S, opts: { optional?: boolean } = {}): Promise<z.output<S>> {
  const type = c.req.header('content-type');
  const text = await c.req.text();
  if ((type !== undefined || text.trim() !== '') && !isJsonContentType(type)) {
    throw new WhetError('UNSUPPORTED_MEDIA_TYPE', `${c.req.method} ${c.req.path} takes a JSON body, but the request was sent as ${type ? `"${type}"` : 'no Content-Type'}`);
  }
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new WhetError('INVALID_JSON', `the request body is not valid JSON: ${(e as Error).message}`);
    }
  } else if (!opts.optional) {
    throw new WhetError('INVALID_JSON', 'the request body is empty', { hint: 'Send a JSON object with Content-Type: application/json.' });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw zodToWhetError(parsed.error, body);
  return parsed.data;
}
