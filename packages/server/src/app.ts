import { Hono } from 'hono';
import { isLoopback } from './config.ts';
import type { AppContext } from './context.ts';
import { apiKeyAuth } from './middleware/api-key.ts';
import { notFound, onError } from './middleware/error-handler.ts';
import { hostGuard } from './middleware/host-guard.ts';
import { originGuard } from './middleware/origin-guard.ts';
import { requireRole } from './middleware/require-role.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { diagnosisRoutes } from './routes/diagnosis.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { benchmarkRoutes } from './routes/benchmarks.ts';
import { exportRoutes } from './routes/exports.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { checkpointRoutes } from './routes/checkpoints.ts';
import { modelRoutes } from './routes/models.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { keyRoutes } from './routes/keys.ts';
import { connectionRoutes } from './routes/connections.ts';
import { settingsRoutes } from './routes/settings.ts';
import { playgroundRoutes } from './routes/playground.ts';
import { openAiRoutes } from './openai/openai-routes.ts';
import { openAiNotFound, openAiOnError, setRetryAfter } from './openai/openai-error.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { serveConsole } from './web/serve-console.ts';

/** The HTTP surface: native API under /api/v1. One route file per resource. */
export function createApp(ctx: AppContext) {
  const api = new Hono()
    .route('/', healthRoutes(ctx))
    .route('/', modelRoutes(ctx))
    .route('/', datasetRoutes(ctx))
    .route('/', jobRoutes(ctx))
    .route('/', checkpointRoutes(ctx))
    .route('/', diagnosisRoutes(ctx))
    .route('/', evaluationRoutes(ctx))
    .route('/', benchmarkRoutes(ctx))
    .route('/', exportRoutes(ctx))
    .route('/', tokenRoutes(ctx))
    .route('/', openApiRoutes())
    .route('/', deploymentRoutes(ctx))
    .route('/', keyRoutes(ctx))
    .route('/', connectionRoutes(ctx))
    .route('/', settingsRoutes(ctx))
    .route('/', playgroundRoutes(ctx));
  const app = new Hono();
  // Browser guards first (DNS rebinding, cross-site pages), then who is calling and may they.
  app.use('*', hostGuard(ctx.config), originGuard(ctx.config));
  app.use('*', serveConsole()); // the web console at / (public files; /api and /v1 pass through to the key check)
  app.use('*', apiKeyAuth(ctx.config.apiKeys, ctx.apiKeys, { required: !isLoopback(ctx.config.host) }));
  app.use('*', requireRole());
  app.route('/api/v1', api);
  app.route('/v1', openAiRoutes(ctx));
  // /v1 answers in OpenAI's error shape, also for the key check that runs before its routes.
  const isV1 = (path: string) => path === '/v1' || path.startsWith('/v1/');
  app.onError((err, c) => (isV1(c.req.path) ? openAiOnError(err, c) : (setRetryAfter(err, c), onError(err, c))));
  app.notFound((c) => (isV1(c.req.path) ? openAiNotFound(c) : notFound(c)));
  return app;
}
export type AppType = ReturnType<typeof createApp>;
