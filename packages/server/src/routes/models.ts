import { Hono } from 'hono';
import { ModelCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { registerModel } from '../models/register-model.ts';

export function modelRoutes(ctx: AppContext) {
  const getOr404 = (ref: string) => {
    const m = ctx.store.getModel(ref);
    if (!m) throw new WhetError('MODEL_NOT_FOUND', `no model with id or name "${ref}"`);
    return m;
  };
  return new Hono()
    .get('/models', (c) => c.json({ data: ctx.store.listModels() }))
    .post('/models', async (c) => c.json(await registerModel(ctx, await parseJsonBody(c, ModelCreateSchema)), 201))
    .get('/models/:id', (c) => c.json(getOr404(c.req.param('id'))))
    .delete('/models/:id', (c) => {
      const m = getOr404(c.req.param('id'));
      const users = ctx.store.jobsUsingModel(m.id).filter((j) => !['succeeded', 'failed', 'cancelled'].includes(j.status));
      if (users.length) {
        throw new WhetError('CONFLICT', `model ${m.name} is used by ${users.length} unfinished job(s): ${users.map((j) => j.id).join(', ')}`, {
          hint: 'Cancel or finish those jobs first.',
        });
      }
      // Only the registration goes: a local folder is the user's and is never deleted.
      ctx.store.deleteModel(m.id);
      return c.json({ id: m.id, deleted: true });
    });
}
