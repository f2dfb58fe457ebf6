import { rmSync } from 'node:fs';
import { Hono } from 'hono';
import { readChatTemplate } from '@whetstone/data';
import { ModelCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { findModelUsers } from '../models/find-model-users.ts';
import { registerModel } from '../models/register-model.ts';
import { checkpointModelDir } from '../jobs/register-checkpoint-model.ts';
import { releaseModelUsers } from '../models/release-model-users.ts';

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
    .get('/models/:id/chat-template', (c) => {
      const m = getOr404(c.req.param('id'));
      const base = m.base_model_id ? ctx.store.getModel(m.base_model_id) : undefined;
      // An adapter without its own template is chatted with through its base model's tokenizer.
      const found = readChatTemplate(m.path) ?? (base ? readChatTemplate(base.path) : null);
      return c.json({ model_id: m.id, template: found?.template ?? null, file: found?.file ?? null });
    })
    .delete('/models/:id', async (c) => {
      const m = getOr404(c.req.param('id'));
      await releaseModelUsers(ctx, `model ${m.name}`, findModelUsers(ctx, m), c.req.query('force') === 'true');
      // Only the registration goes: a local folder is the user's and is never deleted. A checkpoint's
      // copy in the model store is Whetstone's own, and goes with it.
      ctx.store.deleteModel(m.id);
      if (m.checkpoint_step != null && m.job_id) rmSync(checkpointModelDir(ctx.config.home, m.job_id, m.checkpoint_step), { recursive: true, force: true });
      await ctx.gateway.forgetModel(m);
      return c.json({ id: m.id, deleted: true });
    });
}
