import type { Context } from 'hono';
import type { z } from 'zod';
import { WhetError } from '@whetstone/core';

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
  return new WhetError(isHyper ? 'INVALID_HYPERPARAMETER' : 'INVALID_REQUEST', issues.map((i) => i.message).join('; '), {
    field: first || undefined,
    details: issues,
  });
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Parse a JSON body with a core schema; bad JSON and bad fields become 400s with every problem named. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S, opts: { optional?: boolean } = {}): Promise<z.output<S>> {
  const text = await c.req.text();
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
