import { Hono } from 'hono';
import { DeploymentCreateSchema } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/** Deployments: a model (+ adapter) behind a backend, called through /v1 by its name. */
export function deploymentRoutes(ctx: AppContext) {
  const manager = ctx.gateway.deployments;
  return new Hono()
    .get('/deployments', (c) => c.json({ data: manager.list() }))
    .post('/deployments', async (c) => c.json(manager.create(await parseJsonBody(c, DeploymentCreateSchema)), 201))
    .get('/deployments/:id', (c) => c.json(manager.get(c.req.param('id'))))
    .post('/deployments/:id/stop', async (c) => c.json(await manager.stop(c.req.param('id'))))
    .delete('/deployments/:id', async (c) => c.json(await manager.delete(c.req.param('id'))));
}
