import { Hono } from 'hono';
import type { AppContext } from './context.ts';
import { apiKeyAuth } from './middleware/api-key.ts';
import { notFound, onError } from './middleware/error-handler.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { modelRoutes } from './routes/models.ts';
import { openApiRoutes } from './routes/openapi.ts';

/** The HTTP surface: native API under /api/v1. One route file per resource. */
export function createApp(ctx: AppContext) {
  const api = new Hono()
    .route('/', healthRoutes(ctx))
    .route('/', modelRoutes(ctx))
    .route('/', datasetRoutes(ctx))
    .route('/', jobRoutes(ctx))
    .route('/', openApiRoutes());
  const app = new Hono();
  app.use('*', apiKeyAuth(ctx.config.apiKeys));
  app.route('/api/v1', api);
  app.onError(onError);
  app.notFound(notFound);
  return app;
}
export type AppType = ReturnType<typeof createApp>;
