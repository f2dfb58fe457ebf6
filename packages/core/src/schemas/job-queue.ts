import { z } from 'zod';

const MOVE_KEYS = ['position', 'before', 'after'] as const;

/**
 * Where a queued job goes: to the top or bottom of the queue, or just before or after another
 * queued job. Exactly one of the three, checked by the parser and shown as `oneOf` in the
 * OpenAPI document.
 */
export const JobMoveSchema = z
  .object({
    position: z.enum(['top', 'bottom']).optional().describe('"top": runs next; "bottom": runs after every other queued job.'),
    before: z.string().min(1).optional().describe('The id of a queued job this one should run just before.'),
    after: z.string().min(1).optional().describe('The id of a queued job this one should run just after.'),
  })
  .strict()
  .refine((b) => MOVE_KEYS.filter((k) => b[k] !== undefined).length === 1, {
    message: 'give exactly one of "position", "before" or "after"',
    path: ['position'],
  })
  .meta({ oneOf: MOVE_KEYS.map((k) => ({ required: [k] })) });
export type JobMove = z.infer<typeof JobMoveSchema>;
