import { z } from 'zod';

/**
 * http(s)://host[:port][/path]: a host name or IPv4 address, no user:password@ (members can list
 * connections), no query or fragment. The parser checks exactly this pattern, and the OpenAPI
 * document shows it, so what the document allows is what the server takes.
 */
export const HTTP_URL_PATTERN = /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%!$&'()*+,;=:@\/-]*)?$/;

/**
 * A connection: an outside OpenAI-compatible endpoint an admin configured, with its key kept on
 * the server. Evaluations, question-answer drafting and judges name a connection; they never take
 * a URL and a key from the caller, so no caller can have the server send its secrets elsewhere.
 */
export const ConnectionCreateSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits and . _ - only, at most 64')
      .describe('The handle callers use, e.g. "openai" or "vllm-a100".'),
    base_url: z
      .string()
      .max(2000)
      .regex(HTTP_URL_PATTERN, 'an http(s) URL with a host name or IPv4 address, an optional port and path, and no user:password@, query or fragment')
      .describe('An OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://10.0.0.5:8000/v1.'),
    model: z.string().min(1).max(200).optional().describe('The model asked for when a caller names none.'),
    api_key: z.string().min(1).max(4096).optional().describe('Stored on the server and never returned.'),
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional()
      .describe('Take the key from this server environment variable instead; it must be listed in WHET_ENDPOINT_KEYS.'),
  })
  .strict()
  .refine((b) => b.api_key === undefined || b.api_key_env === undefined, { message: 'give api_key or api_key_env, not both', path: ['api_key_env'] })
  .meta({ not: { required: ['api_key', 'api_key_env'] } }); // the same rule, in the OpenAPI document
export type ConnectionCreate = z.infer<typeof ConnectionCreateSchema>;

export const ConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  base_url: z.string(),
  model: z.string().nullable(),
  /** Where its key comes from; the key itself is never shown. */
  key: z.enum(['none', 'stored', 'env']),
  api_key_env: z.string().nullable(),
  created_at: z.string(),
});
export type Connection = z.infer<typeof ConnectionSchema>;
