import { z } from 'zod';
import { ErrorBodySchema } from './entities.ts';
import { EXPORT_FORMATS, GGUF_QUANTIZATIONS } from './worker-export-spec.ts';

export const EXPORT_STATUSES = ['running', 'succeeded', 'failed'] as const;

/**
 * POST /api/v1/models/:id/exports. `peft` copies a job's adapter as is; `merged` folds base +
 * adapter into one Hugging Face folder; `gguf` writes one llama.cpp file (f16 unless asked).
 */
export const ExportCreateSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    quantization: z.enum(GGUF_QUANTIZATIONS).optional().describe('gguf only; default f16.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.format !== 'gguf' && body.quantization !== undefined) {
      ctx.addIssue({ code: 'custom', message: `quantization applies to gguf only, got ${body.quantization} for ${body.format}`, path: ['quantization'] });
    }
  })
  // The same rule in the JSON Schema (and so the OpenAPI document): gguf, or no quantization.
  .meta({ anyOf: [{ properties: { format: { const: 'gguf' } } }, { not: { required: ['quantization'] } }] });
export type ExportCreate = z.infer<typeof ExportCreateSchema>;

/** One export of a model: $WHET_HOME/exports/<model id>/<format>[-<quantization>]/. */
export const ExportSchema = z.object({
  id: z.string(),
  model_id: z.string().describe('The exported model: a base model, or a job result (its adapter on its base).'),
  format: z.enum(EXPORT_FORMATS),
  quantization: z.enum(GGUF_QUANTIZATIONS).nullable().describe('gguf only.'),
  status: z.enum(EXPORT_STATUSES),
  path: z.string().describe('The export folder; download its files with GET /exports/{id}/files/{name}.'),
  files: z.array(z.string()).describe('File names in the folder, once succeeded.'),
  size_bytes: z.number().int().nullable(),
  error: ErrorBodySchema.nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Export = z.infer<typeof ExportSchema>;
