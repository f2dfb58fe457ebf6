import { z } from 'zod';
import { RequestLabelsOrModelSchema } from '@whetstone/core';

/**
 * Request bodies of OpenAI's chat and text completion APIs, as far as Whetstone serves them.
 * Unknown fields are accepted and ignored (clients send `user`, `metadata`, ...); fields that
 * would change the answer but are not supported (n > 1, tools, logprobs) are refused with a
 * 400 naming them. top_k, repetition_penalty and ignore_eos are extensions, as in vLLM; `labels` (answer
 * constrained to a label set) is Whetstone's own.
 */
const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

export const OpenAiMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(TextPartSchema)]).nullable(),
});

const samplingFields = {
  model: z.string().min(1),
  max_tokens: z.number().int().min(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  top_k: z.number().int().min(0).nullable().optional(),
  repetition_penalty: z.number().gt(0).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(4)]).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.literal(1, { message: 'only n=1 is supported' }).nullable().optional(),
  logprobs: z.union([z.literal(false), z.null()], { message: 'logprobs are not supported' }).optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  labels: RequestLabelsOrModelSchema.nullable().optional(),
  ignore_eos: z.boolean().nullable().optional(),
};

export const ChatCompletionRequestSchema = z.looseObject({
  ...samplingFields,
  messages: z.array(OpenAiMessageSchema).min(1),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  tools: z.array(z.unknown()).max(0, { message: 'tools (function calling) are not supported' }).nullable().optional(),
  response_format: z
    .looseObject({ type: z.literal('text', { message: 'only response_format {"type": "text"} is supported' }) })
    .nullable()
    .optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const CompletionRequestSchema = z.looseObject({
  ...samplingFields,
  prompt: z.union([z.string(), z.array(z.string()).length(1, { message: 'give one prompt (batches of prompts are not supported)' })]),
  echo: z.union([z.literal(false), z.null()], { message: 'echo is not supported' }).optional(),
  suffix: z.null({ message: 'suffix is not supported' }).optional(),
});
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;
