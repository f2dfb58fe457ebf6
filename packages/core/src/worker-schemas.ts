import { z } from 'zod';
import { ERROR_CODES } from './errors/error-codes.ts';
import { WorkerEventSchema } from './protocol/worker-events.ts';
import { WorkerSpecSchema } from './schemas/worker-spec.ts';

/**
 * The files generated into worker/whet_worker/schemas/, so the Python worker checks specs and
 * uses error codes from the one source. A test fails when the committed copies are stale.
 */
export function workerSchemaFiles(): Record<string, string> {
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  const hints = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, v]) => [code, v.hint]));
  return {
    'worker_spec.schema.json': json(z.toJSONSchema(WorkerSpecSchema, { io: 'input' })),
    'worker_event.schema.json': json(z.toJSONSchema(WorkerEventSchema, { io: 'input' })),
    'error_codes.json': json(hints),
  };
}
