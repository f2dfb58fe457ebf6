import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { isWhetError, WhetError } from '@whetstone/core';

export interface ReceivedUpload {
  path: string;
  filename: string;
  bytes: number;
  fields: Record<string, string>;
}

const MULTIPART_HINT =
  'Send the file as the multipart/form-data field "file" (with the boundary in the Content-Type), e.g. curl -F file=@data.jsonl http://127.0.0.1:7860/api/v1/datasets';

/** A client file name made safe to show: no folders, no control characters, bounded length. */
export function safeFilename(name: string | undefined): string {
  const base = basename(String(name ?? '').replaceAll('\\', '/'))
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return base === '' || base === '.' || base === '..' ? 'upload' : base;
}

/** Whatever the client's bytes did to the parser (no boundary, a bad part header, a body cut short), it is a 400. */
function unreadable(e: unknown): WhetError {
  if (isWhetError(e)) return e as WhetError;
  const reason = (e as Error)?.message || String(e);
  return new WhetError('INVALID_REQUEST', `the multipart/form-data upload cannot be read: ${reason}`, { field: 'file', hint: MULTIPART_HINT });
}

/**
 * Stream the multipart field `file` to `dir/upload` (never loaded whole into memory), with a
 * size cap. The client's file name is kept only as metadata; it never becomes a path.
 * Every way the body can be malformed or cut short ends in one WhetError (400), and the file's
 * write is always awaited: a rejected promise left behind would kill the process.
 */
export async function receiveUpload(request: Request, dir: string, maxBytes: number): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new WhetError('INVALID_REQUEST', `expected a multipart/form-data upload, got "${type || 'no content type'}"`, { hint: MULTIPART_HINT });
  }
  if (!request.body) throw new WhetError('INVALID_REQUEST', 'the upload has no body', { field: 'file', hint: MULTIPART_HINT });
  let bb: busboy.Busboy;
  try {
    // busboy throws at once when the Content-Type has no boundary.
    bb = busboy({ headers: { 'content-type': type }, limits: { fileSize: maxBytes, files: 1, fields: 20 } });
  } catch (e) {
    throw unreadable(e);
  }
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'upload');
  const fields: Record<string, string> = {};
  let written: Promise<{ filename: string; bytes: number }> | null = null;

  bb.on('field', (name, value) => (fields[name] = value));
  bb.on('file', (name, stream, info) => {
    if (name !== 'file' || written) {
      stream.resume();
      return;
    }
    let bytes = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('limit', () => (truncated = true));
    written = pipeline(stream, createWriteStream(target)).then(() => {
      if (truncated) {
        throw new WhetError('PAYLOAD_TOO_LARGE', `the file is larger than the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MB`, {
          field: 'file',
        });
      }
      return { filename: safeFilename(info.filename), bytes };
    });
    // Handled below in every path; this keeps a rejection seen before then from counting as unhandled.
    written.catch(() => {});
  });
  try {
    // A parse error or an aborted request destroys busboy, which destroys the file stream, so
    // `written` settles too: wait for it, so the file is closed before the caller removes `dir`.
    await pipeline(Readable.fromWeb(request.body as never), bb);
  } catch (e) {
    await (written as Promise<unknown> | null)?.catch(() => {});
    throw unreadable(e);
  }
  if (!written) throw new WhetError('INVALID_REQUEST', 'the upload has no multipart field named "file"', { field: 'file', hint: MULTIPART_HINT });
  const { filename, bytes } = await (written as Promise<{ filename: string; bytes: number }>);
  return { path: target, filename, bytes, fields };
}
