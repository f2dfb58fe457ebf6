import { Hono } from 'hono';
import { ApiKeyCreateSchema, WhetError } from '@whetstone/core';
import { isLoopback } from '../config.ts';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/**
 * API keys: the secret is in the create answer only; the store keeps a salted scrypt hash.
 * Only admins reach these routes (middleware/require-role.ts), so no key can mint a key with
 * more rights or a looser rate limit than the admin chose.
 */
export function keyRoutes(ctx: AppContext) {
  return new Hono()
    .get('/keys', (c) => c.json({ data: ctx.apiKeys.list() }))
    .post('/keys', async (c) => {
      const body = await parseJsonBody(c, ApiKeyCreateSchema, { optional: true });
      // The first key of a server without keys turns auth on: it must be able to manage keys.
      const first = ctx.config.apiKeys.length === 0 && ctx.apiKeys.count() === 0;
      return c.json(ctx.apiKeys.create(body.name, body.rate_limit_per_minute, body.role ?? (first ? 'admin' : 'member')), 201);
    })
    .delete('/keys/:id', (c) => {
      const id = c.req.param('id');
      if (!isLoopback(ctx.config.host) && ctx.config.apiKeys.length === 0 && ctx.apiKeys.count() === 1 && ctx.apiKeys.get(id)) {
        throw new WhetError('CONFLICT', `the server listens on ${ctx.config.host} and this is its last API key`, {
          hint: 'Create another key first, or set WHET_API_KEYS; off loopback the server never runs without a key.',
        });
      }
      if (!ctx.apiKeys.delete(id)) throw new WhetError('NOT_FOUND', `no API key with id "${id}"`, { hint: 'List keys with GET /api/v1/keys.' });
      return c.json({ id, deleted: true });
    });
}
