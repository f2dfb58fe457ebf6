import { z } from 'zod';
import { ErrorBodySchema } from './entities.ts';
import { DeploymentLabelsSchema, RequestLabelsOrModelSchema } from './label-list.ts';

/**
 * The serving gateway's resources: deployments (a model, an optional adapter, a backend),
 * API keys and the playground. The OpenAI-compatible /v1 bodies live with the gateway.
 */

// ---------- deployments ----------
export const BACKENDS = ['torch', 'llamacpp', 'vllm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** none: the weights as stored; GGUF types for llamacpp; fp8/awq-style types are vLLM's. */
export const QUANTIZATIONS = ['none', 'f16', 'q8_0', 'q4_0', 'q4_1', 'q4_k_m', 'fp8'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

/**
 * The torch backend's compute dtype. auto: float32 on the CPU (the fastest single stream, and the
 * answers evaluation scores), bfloat16 on a CUDA GPU that has it. bfloat16 on a CPU with AMX or
 * AVX512-BF16 decodes many concurrent streams faster (benchmarks/serve-throughput) and one slower.
 */
export const SERVE_DTYPES = ['auto', 'float32', 'bfloat16', 'float16'] as const;
export type ServeDtype = (typeof SERVE_DTYPES)[number];

export const DEPLOYMENT_STATUSES = ['loading', 'ready', 'stopped', 'failed'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DeploymentCreateSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits and . _ : - only')
      .optional()
      .describe('The model name clients send to /v1 (default: derived from the model).'),
    model: z.string().min(1).describe('Model id or name; for llamacpp also the absolute path of a .gguf file inside WHET_MODEL_ROOTS.'),
    adapter: z.string().min(1).optional().describe('Adapter model id or name (a job result) to serve on the model.'),
    backend: z.enum(BACKENDS).default('torch'),
    quantization: z.enum(QUANTIZATIONS).default('none').describe('llamacpp: the GGUF type to serve (f16, q8_0, q4_k_m, ...).'),
    queue_size: z.number().int().min(0).max(10_000).default(64).describe('Requests that may wait; beyond it the API answers 429.'),
    max_concurrency: z.number().int().min(1).max(256).optional().describe('Requests run at once, batched together (default: 4 for llamacpp, one llama.cpp sequence each; 16 for torch).'),
    timeout_s: z.number().positive().max(3600).default(300).describe('A request running longer is cancelled (504).'),
    labels: DeploymentLabelsSchema.optional(),
    dtype: z
      .enum(SERVE_DTYPES)
      .default('auto')
      .describe('torch: the dtype the weights compute in (auto: float32 on CPU, bfloat16 on CUDA; bfloat16 on a CPU with AMX serves many concurrent streams faster, one slower).'),
  })
  .strict();
export type DeploymentCreate = z.infer<typeof DeploymentCreateSchema>;

export const DeploymentSchema = z.object({
  id: z.string(),
  name: z.string(),
  model_id: z.string().nullable(),
  adapter_id: z.string().nullable(),
  backend: z.enum(BACKENDS),
  quantization: z.enum(QUANTIZATIONS),
  /** What the backend loads: a HF folder (torch, vllm) or a .gguf file (llamacpp). */
  weights_path: z.string(),
  adapter_path: z.string().nullable(),
  status: z.enum(DEPLOYMENT_STATUSES),
  error: ErrorBodySchema.nullable(),
  endpoint: z.string().describe('Where to call it: POST /v1/chat/completions with "model": name.'),
  queue_size: z.number().int(),
  max_concurrency: z.number().int(),
  timeout_s: z.number(),
  dtype: z.enum(SERVE_DTYPES).optional().describe('torch: the compute dtype (absent on deployments made before it existed: auto).'),
  labels: z.array(z.string()).nullable().optional().describe('Answers are constrained to these labels unless a request sends its own `labels` ([] = unconstrained); null = free text.'),
  created_at: z.string(),
  stopped_at: z.string().nullable(),
  /** Live numbers, in API answers only (not stored). */
  queue: z.object({ running: z.number().int(), queued: z.number().int() }).nullable().optional(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

// ---------- API keys ----------
/**
 * What a key may do: `admin` everything (keys, connections, force-deletes), `member` the
 * platform's work (data, jobs, evaluations, exports, deployments), `inference` only the
 * OpenAI-compatible chat, completions and models calls, for apps.
 */
export const ApiKeyRoleSchema = z.enum(['admin', 'member', 'inference']);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

export const ApiKeyCreateSchema = z
  .object({
    name: z.string().min(1).max(200).default('default'),
    role: ApiKeyRoleSchema.optional().describe('admin: keys and connections too; member: data, jobs, evaluations, exports, deployments; inference: /v1 chat, completions and models only. Default: admin for the first key of a server without keys (it turns keys on, so it must be able to manage them), member after that.'),
    rate_limit_per_minute: z.number().int().min(1).max(1_000_000).nullable().default(null).describe('null: no limit.'),
  })
  .strict();
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>;

/** A stored key: never the secret, only its first characters to recognise it. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: ApiKeyRoleSchema,
  rate_limit_per_minute: z.number().int().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string().describe('The secret, shown once.') });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

// ---------- playground ----------
export const PlaygroundMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }).strict();

const generationParams = {
  messages: z.array(PlaygroundMessageSchema).min(1),
  max_tokens: z.number().int().min(1).max(8192).default(256),
  temperature: z.number().min(0).max(2).default(0.7),
  top_p: z.number().gt(0).max(1).default(1),
  top_k: z.number().int().min(0).default(0),
  repetition_penalty: z.number().gt(0).default(1),
  seed: z.number().int().nullable().default(null),
  stop: z.array(z.string().min(1)).max(4).default([]),
  ignore_eos: z.boolean().default(false).describe('Never end on an end-of-generation token: the answer runs to max_tokens unless a stop string ends it (as /v1 and vLLM). Not with labels.'),
  labels: RequestLabelsOrModelSchema.optional().describe('Constrain the answer to these labels; "model": the model\'s remembered label set; []: unconstrained; absent: the deployment\'s default.'),
  stream: z.boolean().default(false).describe('Answer as Server-Sent Events while the models generate (see PlaygroundStreamEventSchema).'),
};

export const PlaygroundChatSchema = z
  .object({ model: z.string().min(1).describe('Any model listed by GET /v1/models: base, fine-tuned or deployment.'), ...generationParams })
  .strict();
export type PlaygroundChat = z.infer<typeof PlaygroundChatSchema>;

export const PlaygroundCompareSchema = z
  .object({ models: z.tuple([z.string().min(1), z.string().min(1)]).describe('Two models answering the same prompt.'), ...generationParams })
  .strict();
export type PlaygroundCompare = z.infer<typeof PlaygroundCompareSchema>;

export const PlaygroundAnswerSchema = z.object({
  model: z.string(),
  text: z.string().nullable(),
  finish_reason: z.string().nullable(),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() }).nullable(),
  latency_ms: z.number(),
  tokens_per_second: z.number().nullable(),
  error: ErrorBodySchema.nullable(),
});
export type PlaygroundAnswer = z.infer<typeof PlaygroundAnswerSchema>;

/**
 * A `stream: true` playground answer: one Server-Sent Event per item, its `event` the type.
 * `index` is the model's place in `models` (0 for chat); the models stream side by side, each
 * ending with `done` or `error` (the answer with its usage, or why it failed, without stopping
 * the others), and `end` closes the stream.
 */
export const PlaygroundStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), index: z.number().int(), model: z.string(), prompt_tokens: z.number().int() }),
  z.object({ type: z.literal('delta'), index: z.number().int(), model: z.string(), text: z.string() }),
  PlaygroundAnswerSchema.extend({ type: z.literal('done'), index: z.number().int() }),
  PlaygroundAnswerSchema.extend({ type: z.literal('error'), index: z.number().int() }),
  z.object({ type: z.literal('end') }),
]);
export type PlaygroundStreamEvent = z.infer<typeof PlaygroundStreamEventSchema>;
