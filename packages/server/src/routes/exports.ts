import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { ExportCreateSchema } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { exportService } from '../exports/export-service.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/** Exports: a model (or a job's adapter on its base) written as peft, merged or gguf, and its files. */
export function exportRoutes(ctx: AppContext) {
  const service = () => exportService(ctx);
  return new Hono()
    .post('/models/:id/exports', async (c) => {
      const { record, reused } = service().create(c.req.param('id'), await parseJsonBody(c, ExportCreateSchema));
      // 202 while the worker writes it; 200 when an identical finished export is reused.
      return c.json(record, reused && record.status === 'succeeded' ? 200 : 202);
    })
    .get('/exports', (c) => c.json({ data: service().list() }))
    .get('/exports/:id', (c) => c.json(service().get(c.req.param('id'))))
    .get('/exports/:id/files/:name', (c) => {
      const name = c.req.param('name');
      const path = service().filePath(c.req.param('id'), name);
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return c.body(body, 200, {
        'content-type': 'application/octet-stream',
        'content-length': String(statSync(path).size),
        'content-disposition': `attachment; filename="${name.replace(/"/g, '')}"`,
      });
    });
}
