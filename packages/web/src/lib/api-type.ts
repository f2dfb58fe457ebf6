import type { Hono } from 'hono';
import type { MergeSchemaPath } from 'hono/types';
// Type-only: these imports vanish from the bundle; no server code reaches the browser.
import type { benchmarkRoutes } from '../../../server/src/routes/benchmarks.ts';
import type { checkpointRoutes } from '../../../server/src/routes/checkpoints.ts';
import type { connectionRoutes } from '../../../server/src/routes/connections.ts';
import type { datasetRoutes } from '../../../server/src/routes/datasets.ts';
import type { deploymentRoutes } from '../../../server/src/routes/deployments.ts';
import type { diagnosisRoutes } from '../../../server/src/routes/diagnosis.ts';
import type { evaluationRoutes } from '../../../server/src/routes/evaluations.ts';
import type { exportRoutes } from '../../../server/src/routes/exports.ts';
import type { healthRoutes } from '../../../server/src/routes/health.ts';
import type { jobRoutes } from '../../../server/src/routes/jobs.ts';
import type { keyRoutes } from '../../../server/src/routes/keys.ts';
import type { modelRoutes } from '../../../server/src/routes/models.ts';
import type { playgroundRoutes } from '../../../server/src/routes/playground.ts';
import type { settingsRoutes } from '../../../server/src/routes/settings.ts';
import type { tokenRoutes } from '../../../server/src/routes/tokens.ts';

type SchemaOf<F> = F extends (...args: never[]) => Hono<infer _E, infer S, infer _B> ? S : never;

type ApiSchema = SchemaOf<typeof healthRoutes> &
  SchemaOf<typeof modelRoutes> &
  SchemaOf<typeof datasetRoutes> &
  SchemaOf<typeof jobRoutes> &
  SchemaOf<typeof checkpointRoutes> &
  SchemaOf<typeof diagnosisRoutes> &
  SchemaOf<typeof evaluationRoutes> &
  SchemaOf<typeof benchmarkRoutes> &
  SchemaOf<typeof exportRoutes> &
  SchemaOf<typeof tokenRoutes> &
  SchemaOf<typeof deploymentRoutes> &
  SchemaOf<typeof keyRoutes> &
  SchemaOf<typeof playgroundRoutes> &
  SchemaOf<typeof settingsRoutes> &
  SchemaOf<typeof connectionRoutes>;

/**
 * The native API as `createApp` mounts it (each resource's routes under `/api/v1`), typed from
 * the server's own route factories. `AppType` from `@whetstone/server` would be the natural
 * source, but `createApp` does not chain `app.route()`, so its type carries no routes yet.
 */
export type ApiType = Hono<{}, MergeSchemaPath<ApiSchema, '/api/v1'>, '/'>;
