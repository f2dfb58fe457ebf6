import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiKeyCreatedSchema,
  ApiKeyCreateSchema,
  ApiKeySchema,
  DeploymentCreateSchema,
  DeploymentSchema,
  PlaygroundAnswerSchema,
  PlaygroundChatSchema,
  PlaygroundCompareSchema,
  DatasetSchema,
  ErrorResponseSchema,
  EvaluationCreateSchema,
  EvaluationSampleSchema,
  EvaluationSchema,
  ExportCreateSchema,
  ExportSchema,
  JobCreateSchema,
  JobDiagnosisSchema,
  JobLogSchema,
  JobResumeSchema,
  JobSchema,
  MetricPointSchema,
  ModelCreateSchema,
  ModelSchema,
  QaDatasetCreateSchema,
  TokenCountRequestSchema,
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
  { method: 'post', path: '/datasets', summary: 'Upload a dataset (multipart field "file"; optional fields format, keep_good_rows, name, model: count tokens with that model)', multipart: true, response: DatasetSchema, status: 201 },
  { method: 'get', path: '/datasets/{id}', summary: 'Get a dataset: status, rows, preview, errors', response: DatasetSchema },
  { method: 'delete', path: '/datasets/{id}', summary: 'Delete a dataset not used by unfinished jobs', response: deleted },
  { method: 'post', path: '/datasets/qa-drafts', summary: 'Draft question-answer pairs from a .txt/.md/.pdf document (multipart "file" + model: a registered model\'s id or name, or base_url, api_key and model of any OpenAI-compatible endpoint); nothing is stored', multipart: true },
  { method: 'post', path: '/datasets/from-qa', summary: 'Save reviewed question-answer pairs as a chat dataset', body: QaDatasetCreateSchema, response: DatasetSchema, status: 201 },
  { method: 'get', path: '/datasets/{id}/stats', summary: "Statistics and advice (?model=ID|NAME: token counts with that model's tokenizer and chat template; ?max_seq_len=N: samples it would cut; a large file answers 202 with status counting after ?wait_ms, default 10 s: ask again)" },
  { method: 'post', path: '/tokens', summary: "Count the tokens of a text or a chat with a model's own tokenizer", body: TokenCountRequestSchema },
  { method: 'get', path: '/jobs', summary: 'List jobs (?status=queued,running)', response: list(JobSchema) },
  { method: 'post', path: '/jobs', summary: 'Create a fine-tuning job', body: JobCreateSchema, response: JobSchema, status: 201 },
  { method: 'get', path: '/jobs/{id}', summary: 'Get a job with resolved hyperparameters and progress', response: JobSchema },
  { method: 'get', path: '/jobs/{id}/metrics', summary: 'Metric series (?names=loss,eval_loss)', response: z.object({ job_id: z.string(), data: z.array(MetricPointSchema) }) },
  { method: 'get', path: '/jobs/{id}/diagnosis', summary: 'Training diagnosis: unstable, overfitting, not_converging, healthy or too_early, with evidence and advice', response: JobDiagnosisSchema },
  { method: 'get', path: '/evaluations', summary: 'List evaluations', response: list(EvaluationSchema) },
  { method: 'post', path: '/evaluations', summary: 'Evaluate models (base, job result or checkpoint, OpenAI-compatible endpoint; optionally few-shot) on a test set', body: EvaluationCreateSchema, response: EvaluationSchema, status: 201 },
  { method: 'get', path: '/evaluations/{id}', summary: 'An evaluation: status, per-model progress, metrics and deltas against the baseline', response: EvaluationSchema },
  { method: 'get', path: '/evaluations/{id}/events', summary: 'Server-Sent Events: the evaluation (event "evaluation") now and after every change, until it finishes', sse: true },
  { method: 'get', path: '/evaluations/{id}/samples', summary: 'Per-sample detail (?sort=index|worst|disagreement&label=&disagree=1&failed=1&limit=&offset=)', response: z.object({ evaluation_id: z.string(), data: z.array(EvaluationSampleSchema), total: z.number().int() }) },
  { method: 'get', path: '/jobs/{id}/logs', summary: 'Log lines', response: z.object({ job_id: z.string(), data: z.array(JobLogSchema) }) },
  { method: 'post', path: '/jobs/{id}/cancel', summary: 'Cancel: the worker checkpoints, then stops', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/pause', summary: 'Pause: the worker checkpoints, then stops; resume later', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/resume', summary: 'Resume from the last checkpoint, optionally with more epochs', body: JobResumeSchema, response: JobSchema },
  { method: 'delete', path: '/jobs/{id}', summary: 'Delete a job that is not running, with its files and result model', response: deleted },
  { method: 'get', path: '/jobs/{id}/events', summary: 'Server-Sent Events: stored events, then live ones (?after=seq or Last-Event-ID)', sse: true },
  { method: 'post', path: '/models/{id}/exports', summary: 'Export a base model or a job result as peft (the adapter), merged (a Hugging Face folder) or gguf (f16, q8_0, q4_0, q4_1); 202 while it runs, 200 when an identical export exists', body: ExportCreateSchema, response: ExportSchema, status: 202 },
  { method: 'get', path: '/exports', summary: 'List exports', response: list(ExportSchema) },
  { method: 'get', path: '/exports/{id}', summary: 'An export: status (running, succeeded, failed), path, files, size, error', response: ExportSchema },
  { method: 'get', path: '/exports/{id}/files/{name}', summary: 'Download one file of a finished export (application/octet-stream)' },
  { method: 'get', path: '/deployments', summary: 'List deployments with their live queue', response: list(DeploymentSchema) },
  { method: 'post', path: '/deployments', summary: 'Deploy a model (+ adapter) on a backend (torch, llamacpp, vllm); call it through /v1 by name', body: DeploymentCreateSchema, response: DeploymentSchema, status: 201 },
  { method: 'get', path: '/deployments/{id}', summary: 'Get a deployment by id or name: status (loading, ready, stopped, failed), error, queue', response: DeploymentSchema },
  { method: 'post', path: '/deployments/{id}/stop', summary: 'Stop a deployment and free its weights', response: DeploymentSchema },
  { method: 'delete', path: '/deployments/{id}', summary: 'Stop and forget a deployment', response: deleted },
  { method: 'get', path: '/keys', summary: 'List API keys (never their secrets)', response: list(ApiKeySchema) },
  { method: 'post', path: '/keys', summary: 'Create an API key; the answer holds the secret, shown once', body: ApiKeyCreateSchema, response: ApiKeyCreatedSchema, status: 201 },
  { method: 'delete', path: '/keys/{id}', summary: 'Revoke an API key', response: deleted },
  { method: 'post', path: '/playground/chat', summary: 'Chat with any model or deployment (one answer, with latency and tokens/s; with "stream": true, Server-Sent Events as in PlaygroundStreamEventSchema)', body: PlaygroundChatSchema, response: PlaygroundAnswerSchema },
  { method: 'post', path: '/playground/compare', summary: 'The same prompt to two models side by side (with "stream": true, Server-Sent Events tagged with each model\'s index)', body: PlaygroundCompareSchema, response: list(PlaygroundAnswerSchema) },
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
