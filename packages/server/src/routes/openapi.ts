import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiKeyCreatedSchema,
  BenchmarkCreateSchema,
  BenchmarkQuestionSchema,
  BenchmarkSchema,
  ConnectionCreateSchema,
  ConnectionSchema,
  ApiKeyCreateSchema,
  ApiKeySchema,
  CheckpointModelCreateSchema,
  CheckpointSchema,
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
  EvaluationJudgeSchema,
  ExportCreateSchema,
  ExportSchema,
  JobCreateSchema,
  JobDiagnosisSchema,
  JobLogSchema,
  JobPlanSchema,
  JobMoveSchema,
  JobResumeSchema,
  JobSchema,
  LabelSetSchema,
  MetricPointSchema,
  ModelChatTemplateSchema,
  ModelCreateSchema,
  ModelSchema,
  QaDatasetCreateSchema,
  RequestLabelsOrModelSchema,
  QaDraftRequestSchema,
  SettingsPatchSchema,
  SettingsSchema,
  TokenCountRequestSchema,
} from '@whetstone/core';
import { OPENAI_FINE_TUNING_ROUTES } from '../openai-fine-tuning/fine-tuning-route-docs.ts';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  /** The body may be left out (every field has a default). */
  bodyOptional?: boolean;
  /** A multipart upload: the field `file` plus these form fields. */
  multipart?: z.ZodType;
  query?: Record<string, z.ZodType>;
  response?: z.ZodType;
  status?: number;
  /** Other success statuses with the same body (202 while still processing, 200 when it existed). */
  also?: number[];
  /** The body of the `also` statuses when it differs (a dry run's plan). */
  alsoResponse?: z.ZodType;
  sse?: boolean;
  /** Answers Server-Sent Events instead of JSON when the body asks with `"stream": true`. */
  streams?: boolean;
  /** Error statuses beyond the ones every route may answer (see errorStatuses). */
  errors?: number[];
  /** The success answer is a file of this media type, not JSON. */
  binary?: string;
}

const list = (s: z.ZodType) => z.object({ data: z.array(s) });
const deleted = z.object({ id: z.string(), deleted: z.literal(true) });
/** The optional form fields of a dataset upload (create-dataset.ts reads them). */
const DatasetUploadFields = z.object({
  format: z.string().optional().describe('A format name instead of detecting it (alpaca, sharegpt, openai, ...).'),
  keep_good_rows: z.string().optional().describe('"true", "1" or "yes": keep the valid rows of a file with errors.'),
  name: z.string().optional(),
  model: z.string().optional().describe("Count tokens with this model's tokenizer while validating (id or name)."),
});

// Query parameters as the handlers read them (whole numbers through middleware/query-int.ts).
const whole = (max = Number.MAX_SAFE_INTEGER, min = 0) => z.number().int().min(min).max(max);
const SEQ = whole();
const STATS_QUERY = {
  model: z.string().describe("Count tokens with this model's tokenizer and chat template (id or name)."),
  max_seq_len: whole(1_048_576, 1).describe('Also count the samples this length would cut.'),
  wait_ms: whole(600_000).describe('How long to wait for a large file to be counted before answering 202 (default 10000).'),
};
/** GET /datasets/{id}/stats, in outline: the statistics' fields stay open, the label set and advice are spelt out. */
const DatasetStatsReportDoc = z
  .object({
    dataset_id: z.string(),
    status: z.enum(['ready', 'counting']),
    stats: z.object({ rows: z.number().int(), label_set: LabelSetSchema.nullable() }).loose(),
    advice: z.array(
      z.object({
        level: z.enum(['info', 'warning']),
        code: z.string().describe('e.g. too_few_samples, duplicates, label_skew, context_p95, truncation'),
        message: z.string(),
        numbers: z.record(z.string(), z.number()).optional(),
        words: z.record(z.string(), z.string()).optional().describe('Names in the message (label_skew: rarest, most).'),
      }),
    ),
  })
  .loose();
const BENCHMARK_QUESTIONS_QUERY = {
  subject: z.string().describe('Only this subject\'s questions.'),
  wrong: z.string().describe('A model label: only the questions it got wrong.'),
  limit: whole(),
  offset: whole(),
};
const SAMPLES_QUERY = {
  sort: z.enum(['index', 'worst', 'disagreement']),
  label: z.string(),
  disagree: z.string().describe('"1" or "true": only the rows where the models disagree.'),
  failed: z.string().describe('"1" or "true": only the rows some model failed on.'),
  limit: whole(),
  offset: whole(),
};

/** The native API, described once from the same zod schemas the handlers parse with. */
export const ROUTES: RouteDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness and basic state', response: z.object({ status: z.literal('ok') }).loose() },
  { method: 'get', path: '/openapi.json', summary: 'This document: every route of the native API, and of OpenAI\'s fine-tuning API under /v1 (files, fine_tuning/jobs), described from the zod schemas the handlers parse with', response: z.object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }).loose() },
  { method: 'get', path: '/models', summary: 'List models', response: list(ModelSchema) },
  { method: 'post', path: '/models', summary: 'Register a local folder (inside WHET_MODEL_ROOTS, else 403) or pull from the Hub / ModelScope', body: ModelCreateSchema, response: ModelSchema, status: 201, errors: [409, 502] },
  { method: 'get', path: '/models/{id}', summary: 'Get a model by id or name', response: ModelSchema },
  { method: 'get', path: '/models/{id}/chat-template', summary: 'The chat template the model\'s tokenizer applies (its base model\'s for an adapter without one)', response: ModelChatTemplateSchema },
  { method: 'delete', path: '/models/{id}', summary: 'Forget a model (files of local folders are kept); 409 IN_USE listing the deployments, exports, jobs and evaluations using it, unless ?force=true stops them first', response: deleted },
  { method: 'get', path: '/datasets', summary: 'List datasets', response: list(DatasetSchema) },
  { method: 'post', path: '/datasets', summary: 'Upload a dataset (multipart field "file"; optional fields format, keep_good_rows, name, model: count tokens with that model)', multipart: DatasetUploadFields, response: DatasetSchema, status: 201, also: [202] },
  { method: 'get', path: '/datasets/{id}', summary: 'Get a dataset: status, rows, preview, errors', response: DatasetSchema },
  { method: 'delete', path: '/datasets/{id}', summary: 'Delete a dataset not used by unfinished jobs', response: deleted },
  { method: 'post', path: '/datasets/qa-drafts', summary: 'Draft question-answer pairs from a .txt/.md/.pdf document (multipart "file" + model: a registered model\'s id or name, or a connection an admin configured, with its model); nothing is stored', multipart: QaDraftRequestSchema, errors: [502, 503] },
  { method: 'post', path: '/datasets/from-qa', summary: 'Save reviewed question-answer pairs as a chat dataset', body: QaDatasetCreateSchema, response: DatasetSchema, status: 201 },
  {
    method: 'get',
    path: '/datasets/{id}/rows',
    summary: 'A page of the stored rows (normalized form), each with its row number (?offset=0&limit=20, at most 100)',
    response: z.object({ dataset_id: z.string(), total: z.number().int(), offset: z.number().int(), limit: z.number().int(), data: z.array(z.object({ row: z.number().int(), value: z.unknown() })) }),
    query: { offset: SEQ.describe('Rows to skip.'), limit: z.number().int().min(1).max(100).describe('Rows to return (default 20).') },
  },
  { method: 'get', path: '/datasets/{id}/stats', summary: "Statistics and advice (?model=ID|NAME: token counts with that model's tokenizer and chat template; ?max_seq_len=N: samples it would cut; a large file answers 202 with status counting after ?wait_ms, default 10 s: ask again); a labelling set shows stats.label_set and label_skew advice", query: STATS_QUERY, response: DatasetStatsReportDoc, also: [202] },
  { method: 'post', path: '/tokens', summary: "Count the tokens of a text or a chat with a model's own tokenizer", body: TokenCountRequestSchema, errors: [503] },
  { method: 'get', path: '/jobs', summary: 'List jobs (?status=queued,running)', response: list(JobSchema), query: { status: z.string().describe('Comma-separated statuses, e.g. queued,running.') } },
  {
    method: 'post',
    path: '/jobs',
    summary: 'Create a fine-tuning job; with ?dry_run=true only validate and resolve it (200, the job as it would be created, every value in `resolved` with its source and reason, and `estimate`: its training time from the budget or the speed of earlier runs; nothing stored, no worker started)',
    body: JobCreateSchema,
    response: JobSchema,
    status: 201,
    also: [200],
    alsoResponse: JobPlanSchema,
    errors: [409],
    query: { dry_run: z.enum(['true', 'false']).describe('true: validate and resolve, store nothing.') },
  },
  { method: 'get', path: '/jobs/{id}', summary: 'Get a job with resolved hyperparameters and progress', response: JobSchema },
  { method: 'get', path: '/jobs/{id}/metrics', summary: 'Metric series (?names=loss,eval_loss)', response: z.object({ job_id: z.string(), data: z.array(MetricPointSchema) }), query: { names: z.string().describe('Comma-separated metric names, e.g. loss,eval_loss.') } },
  { method: 'get', path: '/jobs/{id}/checkpoints', summary: "A job's saved checkpoints, newest last: step, time, and the loss and eval loss logged at that step (or the nearest before)", response: list(CheckpointSchema) },
  {
    method: 'post',
    path: '/jobs/{id}/checkpoints/{step}/model',
    summary: 'Register one checkpoint as a model (an adapter on the base model for LoRA-family tunings, else full weights), its loadable files copied into the model store; then deploy, export or evaluate it. 200 with the same model when that step was registered before; 404 lists the steps that exist',
    body: CheckpointModelCreateSchema,
    bodyOptional: true,
    response: ModelSchema,
    status: 201,
    also: [200],
    errors: [409],
  },
  { method: 'get', path: '/jobs/{id}/diagnosis', summary: 'Training diagnosis: unstable, overfitting, not_converging, healthy or too_early, with evidence and advice', response: JobDiagnosisSchema },
  { method: 'get', path: '/evaluations', summary: 'List evaluations', response: list(EvaluationSchema) },
  { method: 'post', path: '/evaluations', summary: 'Evaluate models (base, job result or checkpoint, OpenAI-compatible endpoint; optionally few-shot) on a test set, optionally graded by a judge model (1-10 scores or pairwise win rates)', body: EvaluationCreateSchema, response: EvaluationSchema, status: 201 },
  { method: 'get', path: '/evaluations/{id}', summary: 'An evaluation: status, per-model progress, metrics and deltas against the baseline', response: EvaluationSchema },
  {
    method: 'post',
    path: '/evaluations/{id}/judge',
    summary: 'Judge a succeeded evaluation again from its stored answers (another judge, rubric or mode), without generating them again; 202 while the judge runs (judge.status), its result replacing the previous judge and per-sample verdicts; 409 while it is not succeeded or a judge runs',
    body: EvaluationJudgeSchema,
    response: EvaluationSchema,
    status: 202,
    errors: [409],
  },
  {
    method: 'post',
    path: '/evaluations/{id}/cancel',
    summary:
      'Cancel a queued or running evaluation, or a judge pass under way: a queued one ends cancelled at once; a running one stops its worker (SIGTERM, SIGKILL after WHET_STOP_GRACE_SECONDS) and ends cancelled, the models that finished keeping their scores and samples; `cancelled.by` records who asked. 409 CONFLICT when nothing runs',
    response: EvaluationSchema,
    errors: [409],
  },
  { method: 'delete', path: '/evaluations/{id}', summary: 'Delete an evaluation with its samples and files; 409 CONFLICT while it is queued, running or judged (cancel it first)', response: deleted, errors: [409] },
  { method: 'get', path: '/evaluations/{id}/events', summary: 'Server-Sent Events: the evaluation (event "evaluation") now and after every change, until it finishes', sse: true },
  { method: 'get', path: '/evaluations/{id}/samples', summary: 'Per-sample detail (?sort=index|worst|disagreement&label=&disagree=1&failed=1&limit=&offset=)', response: z.object({ evaluation_id: z.string(), data: z.array(EvaluationSampleSchema), total: z.number().int() }), query: SAMPLES_QUERY },
  { method: 'get', path: '/benchmarks', summary: 'List multiple-choice benchmarks', response: list(BenchmarkSchema) },
  { method: 'post', path: '/benchmarks', summary: 'Rank models on a multiple-choice dataset (MMLU, C-Eval, CMMLU, plain): 0-5 shot, log-likelihood as lm-evaluation-harness or the chat template', body: BenchmarkCreateSchema, response: BenchmarkSchema, status: 201 },
  { method: 'get', path: '/benchmarks/{id}', summary: 'A benchmark: per-model progress, accuracy overall and per subject, and the ranking', response: BenchmarkSchema },
  { method: 'get', path: '/benchmarks/{id}/events', summary: 'Server-Sent Events: the benchmark (event "benchmark") now and after every change, until it finishes', sse: true },
  { method: 'get', path: '/benchmarks/{id}/questions', summary: "Per-question view: the answer and each model's pick (?subject=&wrong=LABEL&limit=&offset=)", response: z.object({ benchmark_id: z.string(), data: z.array(BenchmarkQuestionSchema), total: z.number().int() }), query: BENCHMARK_QUESTIONS_QUERY },
  { method: 'get', path: '/jobs/{id}/logs', summary: 'Log lines', response: z.object({ job_id: z.string(), data: z.array(JobLogSchema) }), query: { after: SEQ.describe('Only the lines after this sequence number.') } },
  { method: 'post', path: '/jobs/{id}/cancel', summary: 'Cancel: the worker checkpoints, then stops', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/pause', summary: 'Pause: the worker checkpoints, then stops; resume later', response: JobSchema },
  { method: 'post', path: '/jobs/{id}/move', summary: 'Move a queued job in the queue: exactly one of {"position": "top"|"bottom"}, {"before": JOB_ID} or {"after": JOB_ID}; the scheduler starts queued jobs in this order (409 JOB_STATE_CONFLICT for a job that is not queued)', body: JobMoveSchema, response: JobSchema, errors: [409] },
  { method: 'post', path: '/jobs/{id}/resume', summary: 'Resume from the last checkpoint, optionally with more epochs', body: JobResumeSchema, response: JobSchema, bodyOptional: true },
  { method: 'delete', path: '/jobs/{id}', summary: 'Delete a job that is not running, with its files and result model; 409 IN_USE listing what uses them, unless ?force=true stops them first', response: deleted },
  { method: 'get', path: '/jobs/{id}/events', summary: 'Server-Sent Events: stored events, then live ones (?after=seq or Last-Event-ID)', sse: true, query: { after: SEQ.describe('Only the events after this sequence number (or send Last-Event-ID).') } },
  { method: 'post', path: '/models/{id}/exports', summary: 'Export a base model or a job result as peft (the adapter), merged (a Hugging Face folder) or gguf (f16, q8_0, q4_0, q4_1); 202 while it runs, 200 when an identical export exists', body: ExportCreateSchema, response: ExportSchema, status: 202, also: [200] },
  { method: 'get', path: '/exports', summary: 'List exports', response: list(ExportSchema) },
  { method: 'get', path: '/exports/{id}', summary: 'An export: status (running, succeeded, failed), path, files, size, error', response: ExportSchema },
  { method: 'get', path: '/exports/{id}/files/{name}', summary: 'Download one file of a finished export (application/octet-stream)' },
  { method: 'get', path: '/deployments', summary: 'List deployments with their live queue', response: list(DeploymentSchema) },
  { method: 'post', path: '/deployments', summary: 'Deploy a model (+ adapter) on a backend (torch, llamacpp, vllm); call it through /v1 by name', body: DeploymentCreateSchema, response: DeploymentSchema, status: 201, errors: [409, 503] },
  { method: 'get', path: '/deployments/{id}', summary: 'Get a deployment by id or name: status (loading, ready, stopped, failed), error, queue', response: DeploymentSchema },
  { method: 'post', path: '/deployments/{id}/stop', summary: 'Stop a deployment and free its weights', response: DeploymentSchema },
  { method: 'delete', path: '/deployments/{id}', summary: 'Stop and forget a deployment', response: deleted },
  { method: 'get', path: '/keys', summary: 'List API keys (never their secrets)', response: list(ApiKeySchema) },
  { method: 'post', path: '/keys', summary: 'Create an API key; the answer holds the secret, shown once', body: ApiKeyCreateSchema, response: ApiKeyCreatedSchema, status: 201, bodyOptional: true },
  { method: 'delete', path: '/keys/{id}', summary: 'Revoke an API key', response: deleted },
  { method: 'get', path: '/connections', summary: 'List connections to outside OpenAI-compatible endpoints (never their keys)', response: list(ConnectionSchema) },
  { method: 'post', path: '/connections', summary: 'Create a connection (admin): evaluations and QA drafting name it; its key is stored and never returned', body: ConnectionCreateSchema, response: ConnectionSchema, status: 201 },
  { method: 'get', path: '/connections/{id}', summary: 'Get a connection by id or name', response: ConnectionSchema },
  { method: 'delete', path: '/connections/{id}', summary: 'Delete a connection (admin); 409 IN_USE listing the queued or running evaluations that still call it', response: deleted, errors: [409] },
  { method: 'get', path: '/settings', summary: 'Run-time settings (admin): the job-end webhook URL, and whether its signing secret is set (never the secret)', response: SettingsSchema },
  { method: 'patch', path: '/settings', summary: 'Change settings (admin): job_webhook_url (http/https; null removes it) gets a signed JSON POST {event: "job.finished", job, console_url} when a job succeeds, fails or is cancelled; job_webhook_secret signs it (X-Whet-Signature: sha256=<hex HMAC-SHA256 of the body>)', body: SettingsPatchSchema, response: SettingsSchema },
  { method: 'post', path: '/playground/chat', summary: 'Chat with any model or deployment (one answer, with latency and tokens/s; with "stream": true, Server-Sent Events as in PlaygroundStreamEventSchema)', body: PlaygroundChatSchema, response: PlaygroundAnswerSchema, streams: true, errors: [503] },
  { method: 'post', path: '/playground/compare', summary: 'The same prompt to two models side by side (with "stream": true, Server-Sent Events tagged with each model\'s index)', body: PlaygroundCompareSchema, response: list(PlaygroundAnswerSchema), streams: true, errors: [503] },
];

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

/** One Server-Sent Event as schemathesis and OpenAPI 3.1 read a text/event-stream schema: its data is JSON text. */
const SSE_EVENT = { type: 'object', properties: { event: { type: 'string' }, data: { type: 'string' }, id: { type: 'string' } }, required: ['data'] };

const ERROR_TEXT: Record<number, string> = {
  400: 'A bad field, parameter or upload (INVALID_REQUEST and the more precise codes): every problem is named',
  401: 'No API key, or not a valid one (UNAUTHORIZED)',
  403: "The key's role may not do this, or the Origin, Host or path is not allowed",
  404: 'Nothing with that id or name',
  409: 'The resource is in a state that does not allow it, or in use',
  413: 'The upload is over the size limit',
  415: 'The body is not of the documented media type',
  502: 'An outside service (the Hub, ModelScope, an OpenAI-compatible endpoint) could not be reached or failed',
  503: 'Not enough capacity now (loaded models, memory); retry later',
};

/** What a route may answer besides success: the statuses the middleware and its inputs imply. */
function errorStatuses(r: RouteDoc): number[] {
  const out = new Set([401, 403, ...(r.errors ?? [])]);
  if (r.path.includes('{')) out.add(404);
  if (r.body || r.multipart || r.query) out.add(400);
  if (r.body) out.add(415);
  if (r.multipart) out.add(413);
  return [...out].sort((a, b) => a - b);
}

/**
 * /v1 is OpenAI's API, documented by OpenAI; what Whetstone adds to its request bodies is listed
 * here (the official clients send these fields with `extra_body`).
 */
function openAiExtensions() {
  const fields = {
    labels: schema(RequestLabelsOrModelSchema),
    top_k: { type: 'integer', minimum: 0, description: 'Sample from the k most likely tokens (0 = off), as in vLLM.' },
    repetition_penalty: { type: 'number', exclusiveMinimum: 0, description: 'Divide the scores of tokens already seen (1 = off), as in vLLM.' },
    ignore_eos: {
      type: 'boolean',
      description: 'Never end on an end-of-generation token, as in vLLM and llama-server: the answer runs to max_tokens unless a stop string ends it. Not with labels.',
    },
  };
  return { '/v1/chat/completions': { post: { requestBody: fields } }, '/v1/completions': { post: { requestBody: fields } } };
}

/** OpenAI's error body, which /v1 answers with (the official SDKs raise their error classes from it). */
const OpenAiErrorResponseSchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable(), hint: z.string().optional() }),
});

/** One OpenAPI operation per route, at `prefix + path`, answering errors with `errorSchema`. */
function addOperations(paths: Record<string, Record<string, unknown>>, routes: RouteDoc[], prefix: string, errorSchema: z.ZodType) {
  const errorBody = { 'application/json': { schema: schema(errorSchema) } };
  for (const r of routes) {
    const params: Record<string, unknown>[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const [name, s] of Object.entries(r.query ?? {})) {
      const param = schema(s) as { description?: string };
      params.push({ name, in: 'query', required: false, ...(param.description ? { description: param.description } : {}), schema: param });
    }
    const json = r.binary ? { [r.binary]: { schema: { type: 'string', format: 'binary' } } } : { 'application/json': { schema: r.response ? schema(r.response) : {} } };
    const ok = r.sse
      ? { description: 'An event stream', content: { 'text/event-stream': { schema: SSE_EVENT } } }
      : { description: 'OK', content: r.streams ? { ...json, 'text/event-stream': { schema: SSE_EVENT } } : json };
    const responses: Record<string, unknown> = { [String(r.status ?? 200)]: ok };
    const alsoOk = r.alsoResponse ? { description: 'OK', content: { 'application/json': { schema: schema(r.alsoResponse) } } } : ok;
    for (const status of r.also ?? []) responses[String(status)] = alsoOk;
    for (const status of errorStatuses(r)) responses[String(status)] = { description: ERROR_TEXT[status] ?? 'An error', content: errorBody };
    responses.default = { description: 'An error', content: errorBody };
    const op: Record<string, unknown> = { summary: r.summary, parameters: params, responses };
    if (r.path === '/health') op.security = []; // the one route the key check lets through
    if (r.body) op.requestBody = { required: !r.bodyOptional, content: { 'application/json': { schema: schema(r.body) } } };
    if (r.multipart) {
      const fields = schema(r.multipart) as { properties?: Record<string, unknown>; required?: string[] };
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { ...fields, type: 'object', required: ['file', ...(fields.required ?? [])], properties: { file: { type: 'string', format: 'binary' }, ...fields.properties } },
          },
        },
      };
    }
    (paths[`${prefix}${r.path}`] ??= {})[r.method] = op;
  }
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  addOperations(paths, ROUTES, '/api/v1', ErrorResponseSchema);
  // /v1 is OpenAI's API; the fine-tuning part is documented here, with OpenAI's error body.
  addOperations(paths, OPENAI_FINE_TUNING_ROUTES, '/v1', OpenAiErrorResponseSchema);
  return {
    openapi: '3.1.0',
    info: { title: 'Whetstone API', version: '0.1.0' },
    // Needed once the server has keys (always off loopback): WHET_API_KEYS or POST /keys.
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }],
    paths,
    'x-whetstone-openai-extensions': openAiExtensions(),
  };
}

export function openApiRoutes() {
  const doc = openApiDocument();
  return new Hono().get('/openapi.json', (c) => c.json(doc));
}
