import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { type Dataset, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { validateAndStore } from '../datasets/create-dataset.ts';
import { deleteDataset } from '../datasets/delete-dataset.ts';
import { receiveUpload } from '../datasets/receive-upload.ts';
import { newId } from '../ids.ts';
import { cursorPage, pageLimit } from './cursor-page.ts';
import { datasetAsFile, describeLineErrors, resultFile, resultFileContent, resultFileJob } from './openai-file.ts';

const PURPOSE_HINT = 'Upload training and validation data with purpose "fine-tune" (JSONL: OpenAI chat or DPO rows, or any format POST /api/v1/datasets takes).';

/**
 * OpenAI's Files API over datasets: an upload with purpose "fine-tune" is validated like
 * POST /api/v1/datasets and becomes a dataset whose id is the file id. A file with bad lines is
 * refused (400) and not kept, naming the lines and fields. A succeeded job's metrics CSV is a
 * file too (purpose "fine-tune-results").
 */
export function fileRoutes(ctx: AppContext) {
  const find = (id: string) => {
    const dataset = ctx.store.getDataset(id);
    const job = dataset ? undefined : resultFileJob(ctx, id);
    if (!dataset && !job) throw new WhetError('NOT_FOUND', `no file with id "${id}"`, { field: 'file_id', hint: 'List files with GET /v1/files, or upload one with POST /v1/files.' });
    return { dataset, job };
  };
  return new Hono()
    .post('/files', async (c) => {
      const id = newId('ds');
      const dir = join(ctx.config.home, 'datasets', id);
      let upload;
      try {
        upload = await receiveUpload(c.req.raw, dir, ctx.config.maxUploadBytes);
      } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      const purpose = upload.fields.purpose;
      if (purpose !== 'fine-tune') {
        rmSync(dir, { recursive: true, force: true });
        throw new WhetError('INVALID_REQUEST', purpose ? `purpose "${purpose}" is not supported: Whetstone keeps files for fine-tuning only` : 'purpose is missing', {
          field: 'purpose',
          hint: PURPOSE_HINT,
        });
      }
      const { dataset, done } = await validateAndStore(ctx, id, upload.path, upload.filename, upload.bytes, {});
      if (done && dataset.status === 'invalid') refuse(ctx, dataset);
      return c.json(datasetAsFile(dataset));
    })
    .get('/files', (c) => {
      const purpose = c.req.query('purpose');
      const order = c.req.query('order') ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw new WhetError('INVALID_REQUEST', `order must be "asc" or "desc", got "${order}"`, { field: 'order' });
      const files = [
        ...ctx.store.listDatasets().map(datasetAsFile),
        ...ctx.store.listJobs({ status: ['succeeded'] }).map((j) => resultFile(ctx, j)),
      ]
        .filter((f) => !purpose || f.purpose === purpose)
        .sort((a, b) => (order === 'asc' ? 1 : -1) * (a.created_at - b.created_at || a.id.localeCompare(b.id)));
      return c.json(cursorPage(files, c.req.query('after'), pageLimit(c.req.query('limit'), 10_000, 10_000), 'files'));
    })
    .get('/files/:id', (c) => {
      const { dataset, job } = find(c.req.param('id'));
      return c.json(dataset ? datasetAsFile(dataset) : resultFile(ctx, job!));
    })
    .get('/files/:id/content', (c) => {
      const { dataset, job } = find(c.req.param('id'));
      if (job) return c.body(resultFileContent(ctx, job), 200, { 'content-type': 'text/csv; charset=utf-8' });
      // The file as uploaded; a dataset made another way (the demo, QA drafts) has only its rows.
      const dir = join(ctx.config.home, 'datasets', dataset!.id);
      const path = [join(dir, 'upload'), join(dir, 'data.jsonl')].find(existsSync);
      if (!path) throw new WhetError('NOT_FOUND', `file ${dataset!.id} has no content on disk`, { field: 'file_id' });
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
      return new Response(body, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(statSync(path).size) } });
    })
    .delete('/files/:id', (c) => {
      const { dataset, job } = find(c.req.param('id'));
      if (job) {
        throw new WhetError('INVALID_REQUEST', `file ${c.req.param('id')} is the metrics of job ${job.id} and goes with it`, {
          field: 'file_id',
          hint: `Delete the job to remove it: DELETE /api/v1/jobs/${job.id}.`,
        });
      }
      deleteDataset(ctx, dataset!);
      return c.json({ id: dataset!.id, object: 'file', deleted: true });
    });
}

/** A file with bad lines is not kept: 400 naming the first lines and fields. */
function refuse(ctx: AppContext, d: Dataset): never {
  deleteDataset(ctx, d);
  const first = d.errors[0];
  throw new WhetError('DATASET_INVALID', `the file "${d.filename}" has ${describeLineErrors(d)}`, {
    field: 'file',
    line: first?.line,
    hint: 'Fix those lines and upload the file again. Each line is one JSON object: {"messages": [...]} (chat, "weight": 0 or 1 on assistant turns) or {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]} (DPO).',
  });
}
