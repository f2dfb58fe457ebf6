import { z } from 'zod';
import { ERROR_CODES } from './errors/error-codes.ts';
import { GenerateRequestSchema, LoadAdapterRequestSchema, TokenizeRequestSchema, WorkerServeSpecSchema } from './protocol/generation.ts';
import { WorkerEventSchema } from './protocol/worker-events.ts';
import { WorkerExportSpecSchema } from './schemas/worker-export-spec.ts';
import { WorkerGenerateSpecSchema } from './schemas/worker-generate-spec.ts';
import { WorkerScoreChoicesSpecSchema } from './schemas/worker-score-choices-spec.ts';
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
    'worker_serve_spec.schema.json': json(z.toJSONSchema(WorkerServeSpecSchema, { io: 'input' })),
    'worker_export_spec.schema.json': json(z.toJSONSchema(WorkerExportSpecSchema, { io: 'input' })),
    'worker_generate_spec.schema.json': json(z.toJSONSchema(WorkerGenerateSpecSchema, { io: 'input' })),
    'worker_score_choices_spec.schema.json': json(z.toJSONSchema(WorkerScoreChoicesSpecSchema, { io: 'input' })),
    'generate_request.schema.json': json(z.toJSONSchema(GenerateRequestSchema, { io: 'input' })),
    'tokenize_request.schema.json': json(z.toJSONSchema(TokenizeRequestSchema, { io: 'input' })),
    'load_adapter_request.schema.json': json(z.toJSONSchema(LoadAdapterRequestSchema, { io: 'input' })),
    'error_codes.json': json(hints),
  };
}
