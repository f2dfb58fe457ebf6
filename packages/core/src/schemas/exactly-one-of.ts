import type { z } from 'zod';

/**
 * An object body that takes exactly one of two fields (`path` or `hub_id`, `dataset` or
 * `datasets`): the refinement the parser applies, and the same rule as `oneOf` in the JSON
 * Schema `z.toJSONSchema` emits, so the OpenAPI document describes what the handler accepts.
 */
export function exactlyOneOf<T extends z.ZodObject>(schema: T, keys: readonly [string, string]): T {
  const [a, b] = keys;
  return schema
    .refine((body: Record<string, unknown>) => (body[a] === undefined) !== (body[b] === undefined), {
      message: `give exactly one of "${a}" or "${b}"`,
      path: [a],
    })
    .meta({ oneOf: [{ required: [a] }, { required: [b] }] }) as T;
}
