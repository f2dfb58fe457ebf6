import { z } from 'zod';
import { LabelListSchema } from '../schemas/label-list.ts';
import { SERVE_DTYPES } from '../schemas/deployments.ts';

/**
 * The generation-server protocol, version 1: `python -m whet_worker serve SPEC` <-> the
 * TypeScript gateway. The worker reads the spec and checks request bodies against JSON Schemas
 * generated from these (worker/whet_worker/schemas/); the gateway parses every NDJSON line with
 * GenerateLineSchema. Response objects are loose so a newer worker may add fields.
 */
export const GENERATION_PROTOCOL_VERSION = 1;

/** `serve` spec.json: one long-lived worker per base model, adapters chosen per request by name. */
export const WorkerServeSpecSchema = z
  .object({
    version: z.literal(1),
    command: z.literal('serve'),
    model: z
      .object({
        path: z.string().describe('Hugging Face model folder (absolute).'),
        chat_template: z.string().nullable().default(null).describe("Template override; null uses the tokenizer's own."),
      })
      .strict(),
    adapters: z
      .record(z.string().min(1), z.string())
      .default({})
      .describe('Adapter name -> PEFT adapter folder (absolute); requests pick one by name.'),
    host: z.string().default('127.0.0.1').describe('Loopback only; the gateway is the public face.'),
    port: z.number().int().min(0).max(65535).default(0).describe('0 picks a free port, reported in the ready event.'),
    device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    threads: z.number().int().min(1).nullable().default(null).describe('torch threads; null = physical cores.'),
    max_batch_size: z.number().int().min(1).max(256).default(16).describe('Requests decoded together at most.'),
    dtype: z.enum(SERVE_DTYPES).default('auto').describe('auto: float32 on CPU, bfloat16 on CUDA when supported.'),
  })
  .strict();
export type WorkerServeSpec = z.infer<typeof WorkerServeSpecSchema>;

export const ChatMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string(),
  })
  .strict();
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** POST /generate. Exactly one of `messages` (formatted with the chat template, add_generation_prompt) or `prompt` (raw text). */
export const GenerateRequestSchema = z
  .object({
    messages: z.array(ChatMessageSchema).min(1).optional(),
    prompt: z.string().optional(),
    adapter: z.string().min(1).nullable().default(null).describe('A loaded adapter name; null = the base model.'),
    max_tokens: z.number().int().min(1).default(256),
    temperature: z.number().min(0).default(1).describe('0 = greedy.'),
    top_p: z.number().gt(0).max(1).default(1),
    top_k: z.number().int().min(0).default(0).describe('0 = off.'),
    repetition_penalty: z.number().gt(0).default(1),
    seed: z.number().int().nullable().default(null),
    stop: z.array(z.string().min(1)).max(4).default([]),
    labels: LabelListSchema.nullable().default(null).describe('The answer is exactly one of these labels (token-level constraint, then EOS); null = free text.'),
    ignore_eos: z
      .boolean()
      .optional()
      .describe('Never end on an end-of-generation token: the answer runs to max_tokens unless a stop string ends it (absent = false). Not with labels.'),
    stream: z.boolean().default(true),
  })
  .strict()
  .superRefine((req, ctx) => {
    if ((req.messages === undefined) === (req.prompt === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give exactly one of `messages` or `prompt`.', path: ['messages'] });
    }
  });
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;
export type GenerateRequestInput = z.input<typeof GenerateRequestSchema>;

/** POST /tokenize: the prompt as /generate would build it. */
export const TokenizeRequestSchema = z
  .object({
    messages: z.array(ChatMessageSchema).min(1).optional(),
    prompt: z.string().optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    if ((req.messages === undefined) === (req.prompt === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give exactly one of `messages` or `prompt`.', path: ['messages'] });
    }
  });
export const TokenizeResponseSchema = z.looseObject({ tokens: z.number().int(), context_length: z.number().int() });
export type TokenizeResponse = z.infer<typeof TokenizeResponseSchema>;

/** POST /adapters: load (or replace) an adapter by name. DELETE /adapters/:name unloads it. */
export const LoadAdapterRequestSchema = z.object({ name: z.string().min(1), path: z.string().min(1) }).strict();
export const AdaptersResponseSchema = z.looseObject({ adapters: z.array(z.string()) });

/** GET /health */
export const HealthResponseSchema = z.looseObject({
  status: z.literal('ok'),
  model: z.string(),
  adapters: z.array(z.string()),
  queue: z.number().int().describe('Requests waiting for a batch slot.'),
  running: z.number().int().describe('Requests being decoded.'),
  peak_running: z.number().int().describe('The most requests one decode step has held since the server started.'),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

export const FINISH_REASONS = ['stop', 'length'] as const;

export const GenerateStartLineSchema = z.looseObject({ type: z.literal('start'), prompt_tokens: z.number().int() });
/** Text detokenized incrementally: never a broken UTF-8 character, never text past a stop sequence. */
export const GenerateDeltaLineSchema = z.looseObject({ type: z.literal('delta'), text: z.string() });
export const GenerateDoneLineSchema = z.looseObject({
  type: z.literal('done'),
  finish_reason: z.enum(FINISH_REASONS),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
});
export const GenerateErrorLineSchema = z.looseObject({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  hint: z.string().nullable().optional(),
});

/** One line of the `application/x-ndjson` stream: start, delta*, then done or error last. */
export const GenerateLineSchema = z.discriminatedUnion('type', [
  GenerateStartLineSchema,
  GenerateDeltaLineSchema,
  GenerateDoneLineSchema,
  GenerateErrorLineSchema,
]);
export type GenerateLine = z.infer<typeof GenerateLineSchema>;

/** The body of a `stream: false` response. */
export const GenerateResponseSchema = z.looseObject({
  text: z.string(),
  finish_reason: z.enum(FINISH_REASONS),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
});
export type GenerateResponse = z.infer<typeof GenerateResponseSchema>;

/** Any non-200 answer of the generation server (400 bad body, unknown adapter, context overflow). */
export const GenerationErrorResponseSchema = z.looseObject({
  error: z.looseObject({ code: z.string(), message: z.string(), hint: z.string().nullable().optional() }),
});
export type GenerationErrorResponse = z.infer<typeof GenerationErrorResponseSchema>;

/** Printed on stdout (a worker event) once `serve` listens. */
export const ReadyEventSchema = z.looseObject({
  type: z.literal('ready'),
  host: z.string(),
  port: z.number().int(),
  model: z.string(),
  adapters: z.array(z.string()),
});
export type ReadyEvent = z.infer<typeof ReadyEventSchema>;
