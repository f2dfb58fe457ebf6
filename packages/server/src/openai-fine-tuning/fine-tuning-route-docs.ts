import { z } from 'zod';
import { FineTuningCheckpointSchema, FineTuningEventSchema, FineTuningJobCreateSchema, FineTuningJobObjectSchema, OpenAiFileSchema, openAiPage } from '@whetstone/core';
import type { RouteDoc } from '../routes/openapi.ts';

const after = z.string().describe('The id of the last item of the page before (its last_id).');
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).describe(`Items per page, 1-${max} (default ${fallback}).`);

/** The multipart fields of POST /v1/files besides `file`. */
const FileUploadFields = z.object({ purpose: z.literal('fine-tune').describe('Only "fine-tune": the file becomes a dataset.') });

/** OpenAI's fine-tuning API under /v1 (paths here are relative to /v1), from the schemas its handlers parse with. */
export const OPENAI_FINE_TUNING_ROUTES: RouteDoc[] = [
  { method: 'post', path: '/files', summary: 'Upload a training or validation file (OpenAI chat or DPO JSONL, or any format POST /api/v1/datasets takes); it becomes a dataset of the same id. A file with bad lines is refused (400) naming the lines and fields', multipart: FileUploadFields, response: OpenAiFileSchema },
  { method: 'get', path: '/files', summary: 'List files: every dataset, and the metrics CSV of each succeeded job (purpose fine-tune-results)', response: openAiPage(OpenAiFileSchema), query: { purpose: z.string(), limit: limit(10_000, 10_000), order: z.enum(['asc', 'desc']), after } },
  { method: 'get', path: '/files/{id}', summary: 'Get a file', response: OpenAiFileSchema },
  { method: 'get', path: '/files/{id}/content', summary: 'The file as uploaded, or a result file\'s CSV', binary: 'application/octet-stream' },
  { method: 'delete', path: '/files/{id}', summary: 'Delete a file (its dataset) that no unfinished or resumable job uses', response: z.object({ id: z.string(), object: z.literal('file'), deleted: z.literal(true) }), errors: [409] },
  { method: 'post', path: '/fine_tuning/jobs', summary: 'Create a fine-tuning job (a native job: supervised is sft, dpo is dpo; native options in `whetstone`)', body: FineTuningJobCreateSchema, response: FineTuningJobObjectSchema, errors: [404, 409] },
  { method: 'get', path: '/fine_tuning/jobs', summary: 'List fine-tuning jobs, newest first (?metadata[key]=value filters; ?metadata=null: jobs without metadata)', response: openAiPage(FineTuningJobObjectSchema), query: { after, limit: limit(100, 20) } },
  { method: 'get', path: '/fine_tuning/jobs/{id}', summary: 'Get a fine-tuning job (a paused job has status "paused")', response: FineTuningJobObjectSchema },
  { method: 'post', path: '/fine_tuning/jobs/{id}/cancel', summary: 'Cancel: the worker checkpoints, then stops', response: FineTuningJobObjectSchema, errors: [409] },
  { method: 'post', path: '/fine_tuning/jobs/{id}/pause', summary: 'Pause: the worker checkpoints, then stops (status "paused")', response: FineTuningJobObjectSchema, errors: [409] },
  { method: 'post', path: '/fine_tuning/jobs/{id}/resume', summary: 'Resume a paused job (or a failed or cancelled one with a checkpoint) from its last checkpoint', response: FineTuningJobObjectSchema, errors: [409] },
  { method: 'get', path: '/fine_tuning/jobs/{id}/events', summary: "A job's events, newest first; type metrics for each training step", response: openAiPage(FineTuningEventSchema), query: { after, limit: limit(100, 20) } },
  { method: 'get', path: '/fine_tuning/jobs/{id}/checkpoints', summary: "A job's checkpoints, newest first; each fine_tuned_model_checkpoint is callable at /v1/chat/completions", response: openAiPage(FineTuningCheckpointSchema), query: { after, limit: limit(100, 10) } },
];
