import { Hono } from 'hono';
import { ConnectionCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { evaluationService } from '../evaluations/evaluation-service.ts';
import { isJudging } from '../evaluations/judge/is-judging.ts';
import type { ModelUser } from '../models/find-model-users.ts';
import { listed } from '../models/release-model-users.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/**
 * Connections to outside OpenAI-compatible endpoints. Members list them to pick one by name;
 * creating and deleting is for admins (middleware/require-role.ts). No answer carries a key.
 * A connection that a queued or running evaluation (or its judge) will still call cannot be
 * deleted (409 IN_USE listing them): the evaluation would otherwise fail midway on a missing connection.
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
      const users = evaluationService(ctx)
        .evaluations.list()
        .filter((e) => {
          const calls = (ref: { kind: string; connection?: string }) => ref.kind === 'endpoint' && (ref.connection === conn.id || ref.connection === conn.name);
          const running = e.status === 'queued' || e.status === 'running';
          return (running && e.models.some((m) => calls(m.ref))) || (isJudging(e) && calls(e.judge!.request.model));
        })
        .map((e): ModelUser => ({ kind: 'evaluation', id: e.id, status: e.status === 'queued' || e.status === 'running' ? e.status : 'judging' }));
      if (users.length) {
        throw new WhetError('IN_USE', `connection ${conn.name} is in use by ${listed(users)}`, {
          details: { users },
          hint: 'Wait until those evaluations finish (GET /api/v1/evaluations/{id}) or cancel them (POST /api/v1/evaluations/{id}/cancel), then delete the connection again.',
        });
      }
      ctx.connections.delete(conn.id);
      return c.json({ id: conn.id, deleted: true });
    });
}
