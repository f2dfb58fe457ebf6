import { Hono } from 'hono';
import { z } from 'zod';
import {
  DatasetSchema,
  ErrorResponseSchema,
  JobCreateSchema,
  JobLogSchema,
  JobResumeSchema,
  JobSchema,
  MetricPointSchema,
  ModelCreateSchema,
  ModelSchema,
} from '@whetstone/core';

interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  multipart?: boolean;
  response?: z.ZodType;
  status?: number;
  sse?: boolean;
}

const list = (s: z.ZodType) => z.object({ data: z.array(s) });
const deleted = z.object({ id: z.string(), deleted: z.literal(true) });

/** The native API, described once from the same zod schemas the handlers parse with. */
export const ROUTES: RouteDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness and basic state', response: z.object({ status: z.literal('ok') }).loose() },
  { method: 'get', path: '/models', summary: 'List models', response: list(ModelSchema) },
  { method: 'post', path: '/models', summary: 'Register a local folder or pull from the Hub / ModelScope', body: ModelCreateSchema, response: ModelSchema, status: 201 },
  { method: 'get', path: '/models/{id}', summary: 'Get a model by id or name', response: ModelSchema },
  { method: 'delete', path: '/models/{id}', summary: 'Forget a model (files of local folders are kept)', response: deleted },
  { method: 'get', path: '/datasets', summary: 'List datasets', response: list(DatasetSchema) },
  { method: 'post', path: '/datasets', summary: 'Upload a dataset (multipart field "file"; optional fields format, keep_good_rows, name)', multipart: true, response: DatasetSchema, status: 201 },
  { method: 'get', path: '/datasets/{id}', summary: 'Get a dataset: status, rows, preview, errors', response: DatasetSchema },
  { method: 'delete', path: '/datasets/{id}', summary: 'Delete a dataset not used by unfinished jobs', response: deleted },
  { method: 'get', path: '/jobs', summary: 'List jobs (?status=queued,running)', response: list(JobSchema) },
  { method: 'post', path: '/jobs', summary: 'Create a fine-tuning job', body: JobCreateSchema, response: JobSchema, status: 201 },
  { method: 'get', path: '/jobs/{id}', summary: 'Get a job with resolved hyperparameters and progress', response: JobSchema },
  { method: 'get', path: '/jobs/{id}/metrics', summary: 'Metric series (?names=loss,eval_loss)', response: z.object({ job_id: z.string(), data: z.array(MetricPointSchema) }) },
  { method: 'get', path: '/jobs/{id}/logs', summary: 'Log lines', response: z.object({ job_id: z.string(), data: z.array(JobLogSchema) }) },
  { method: 'post', path: '/jobs/{id}/cancel', summary: 'Cancel: the worker checkpoints, then stops', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/pause', summary: 'Pause: the worker checkpoints, then stops; resume later', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/resume', summary: 'Resume from the last checkpoint, optionally with more epochs', body: JobResumeSchema, response: JobSchema },
  { method: 'delete', path: '/jobs/{id}', summary: 'Delete a job that is not running, with its files and result model', response: deleted },
  { method: 'get', path: '/jobs/{id}/events', summary: 'Server-Sent Events: stored events, then live ones (?after=seq or Last-Event-ID)', sse: true },
];

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const ok = r.sse
      ? { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }
      : { description: 'OK', content: { 'application/json': { schema: r.response ? schema(r.response) : {} } } };
    const op: Record<string, unknown> = {
      summary: r.summary,
      parameters: params,
      responses: {
        [String(r.status ?? 200)]: ok,
        default: { description: 'An error', content: { 'application/json': { schema: schema(ErrorResponseSchema) } } },
      },
    };
    if (r.body) op.requestBody = { required: r.method === 'post' && !r.path.endsWith('resume'), content: { 'application/json': { schema: schema(r.body) } } };
    if (r.multipart) {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: { file: { type: 'string', format: 'binary' }, format: { type: 'string' }, keep_good_rows: { type: 'boolean' }, name: { type: 'string' } },
            },
          },
        },
      };
    }
    (paths[`/api/v1${r.path}`] ??= {})[r.method] = op;
  }
  return { openapi: '3.1.0', info: { title: 'Whetstone API', version: '0.1.0' }, paths };
}

export function openApiRoutes() {
  const doc = openApiDocument();
  return new Hono().get('/openapi.json', (c) => c.json(doc));
}
