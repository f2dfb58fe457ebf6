import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { WhetError } from '@whetstone/core';

export interface ReceivedUpload {
  path: string;
  filename: string;
  bytes: number;
  fields: Record<string, string>;
}

/** A client file name made safe to show: no folders, no control characters, bounded length. */
export function safeFilename(name: string | undefined): string {
  const base = basename(String(name ?? '').replaceAll('\\', '/'))
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return base === '' || base === '.' || base === '..' ? 'upload' : base;
}

/**
 * Stream the multipart field `file` to `dir/upload` (never loaded whole into memory), with a
 * size cap. The client's file name is kept only as metadata; it never becomes a path.
 */
export async function receiveUpload(request: Request, dir: string, maxBytes: number): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw new WhetError('INVALID_REQUEST', `expected a multipart/form-data upload, got "${type || 'no content type'}"`, {
      hint: 'Send the file as the multipart field "file", e.g. curl -F file=@data.jsonl http://127.0.0.1:7860/api/v1/datasets',
    });
  }
  if (!request.body) throw new WhetError('INVALID_REQUEST', 'the upload has no body', { field: 'file' });
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'upload');
  const fields: Record<string, string> = {};
  let found: Promise<{ filename: string; bytes: number }> | null = null;

  const bb = busboy({ headers: { 'content-type': type }, limits: { fileSize: maxBytes, files: 1, fields: 20 } });
  bb.on('field', (name, value) => (fields[name] = value));
  bb.on('file', (name, stream, info) => {
    if (name !== 'file' || found) {
      stream.resume();
      return;
    }
    let bytes = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('limit', () => (truncated = true));
    found = pipeline(stream, createWriteStream(target)).then(() => {
      if (truncated) {
        throw new WhetError('PAYLOAD_TOO_LARGE', `the file is larger than the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MB`, {
          field: 'file',
        });
      }
      return { filename: safeFilename(info.filename), bytes };
    });
  });
  await pipeline(Readable.fromWeb(request.body as never), bb);
  if (!found) throw new WhetError('INVALID_REQUEST', 'the upload has no multipart field named "file"', { field: 'file' });
  const { filename, bytes } = await (found as Promise<{ filename: string; bytes: number }>);
  return { path: target, filename, bytes, fields };
}
