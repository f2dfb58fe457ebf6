import { Hono } from 'hono';
import { ConnectionCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/**
 * Connections to outside OpenAI-compatible endpoints. Members list them to pick one by name;
 * creating and deleting is for admins (middleware/require-role.ts). No answer carries a key.
 */
export function connectionRoutes(ctx: AppContext) {
  const getOr404 = (ref: string) => {
    const conn = ctx.connections.get(ref);
    if (!conn) throw new WhetError('CONNECTION_NOT_FOUND', `no connection with id or name "${ref}"`);
    return conn;
  };
  return new Hono()
    .get('/connections', (c) => c.json({ data: ctx.connections.list() }))
    .post('/connections', async (c) => c.json(ctx.connections.create(await parseJsonBody(c, ConnectionCreateSchema)), 201))
    .get('/connections/:id', (c) => c.json(getOr404(c.req.param('id'))))
    .delete('/connections/:id', (c) => {
      const conn = getOr404(c.req.param('id'));
      ctx.connections.delete(conn.id);
      return c.json({ id: conn.id, deleted: true });
    });
}
