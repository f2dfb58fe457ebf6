import { Hono } from 'hono';
import type { AppContext } from '../context.ts';

/** GET /v1/models: every model a client can call: deployments, base models, fine-tuned results. */
export function openAiModelRoutes(ctx: AppContext) {
  const toOpenAi = (m: ReturnType<AppContext['gateway']['listModels']>[number]) => ({
    id: m.id,
    object: 'model' as const,
    created: m.created,
    owned_by: m.owned_by,
    // Whetstone's extras: what it is and what serves it.
    kind: m.kind,
    root: m.root,
    backend: m.backend,
    status: m.status,
  });
  return new Hono()
    .get('/models', (c) => c.json({ object: 'list', data: ctx.gateway.listModels().map(toOpenAi) }))
    .get('/models/:id{.+}', (c) => {
      const id = c.req.param('id');
      const m = ctx.gateway.listModels().find((x) => x.id === id);
      if (!m) return c.json({ error: { message: `the model "${id}" does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } }, 404);
      return c.json(toOpenAi(m));
    });
}
