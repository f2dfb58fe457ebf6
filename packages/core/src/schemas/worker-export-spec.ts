import { z } from 'zod';

export const EXPORT_FORMATS = ['peft', 'merged', 'gguf'] as const;
/** All written by the worker with the gguf package's own numpy quantizers (q4_0/q4_1: 4-bit, 32-weight blocks). */
export const GGUF_QUANTIZATIONS = ['f16', 'q8_0', 'q4_0', 'q4_1'] as const;

/**
 * `export` spec.json: `python -m whet_worker export SPEC`. `peft` copies the adapter as is;
 * `merged` writes base + adapter as one Hugging Face folder; `gguf` writes one llama.cpp file
 * (of the merged weights when an adapter is given).
 */
export const WorkerExportSpecSchema = z
  .object({
    version: z.literal(1),
    command: z.literal('export'),
    model: z.object({ path: z.string().describe('Hugging Face base model folder (absolute).') }).strict(),
    adapter: z.string().nullable().describe('PEFT adapter folder; null exports the base model.'),
    format: z.enum(EXPORT_FORMATS),
    quantization: z.enum(GGUF_QUANTIZATIONS).nullable().describe('gguf only: null = f16.'),
    output_path: z.string().describe('A folder for peft/merged, a .gguf file for gguf.'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.format === 'peft' && spec.adapter === null) {
      ctx.addIssue({ code: 'custom', message: 'format "peft" needs an adapter.', path: ['adapter'] });
    }
    if (spec.format !== 'gguf' && spec.quantization !== null) {
      ctx.addIssue({ code: 'custom', message: `quantization applies to gguf only, got ${spec.quantization} for ${spec.format}.`, path: ['quantization'] });
    }
  });
export type WorkerExportSpec = z.infer<typeof WorkerExportSpecSchema>;
