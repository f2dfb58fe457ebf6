import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type Dataset, type QaDatasetCreate, QaDraftRequestSchema, WhetError } from '@whetstone/core';
import { chunkDocument, type DocumentChunk, generateQaPairs, type GenerateQaResult, qaPairsToRows, readPdfText } from '@whetstone/data';
import type { AppContext } from '../context.ts';
import { newId } from '../ids.ts';
import { zodToWhetError } from '../middleware/parse-body.ts';
import { createDatasetFromFile } from './create-dataset.ts';
import { gatewayChat } from './gateway-chat.ts';
import { receiveUpload } from './receive-upload.ts';

/** A document larger than this is refused: split it first. */
const MAX_DOCUMENT_BYTES = 20 << 20;

export interface QaDraft extends GenerateQaResult {
  filename: string;
  /** Every chunk of the document; pairs name theirs by `chunk_index`. */
  chunks: DocumentChunk[];
  /** Chunks sent to the model (the first `max_chunks`). */
  chunks_used: number;
}

/**
 * Documents into supervised data, step one: a .txt, .md or .pdf upload (a PDF's text layer) is
 * chunked and a model drafts question-answer pairs for each chunk: an outside OpenAI-compatible
 * endpoint an admin configured (`connection`), or a model registered here, called in-process through the gateway /v1
 * uses. Nothing is stored: the pairs come back for review, and the reviewed ones are saved with
 * `createDatasetFromPairs`.
 */
export async function draftQaPairs(ctx: AppContext, request: Request): Promise<QaDraft> {
  const dir = join(ctx.config.home, 'datasets', `.draft-${newId('ds')}`);
  try {
    const upload = await receiveUpload(request, dir, Math.min(ctx.config.maxUploadBytes, MAX_DOCUMENT_BYTES));
    const parsed = QaDraftRequestSchema.safeParse(upload.fields);
    if (!parsed.success) throw zodToWhetError(parsed.error, upload.fields);
    const opts = parsed.data;
    // The model first: a wrong name is refused before the document is parsed (a PDF can take seconds).
    const chat = opts.connection === undefined ? registeredModelChat(ctx, opts.model!, request.signal) : ctx.connections.target(opts.connection, opts.model);
    const ext = extname(upload.filename).toLowerCase();
    const text = await documentText(upload.filename, ext, readFileSync(upload.path));
    const chunks = chunkDocument(text, { markdown: ext === '.md' || ext === '.markdown', maxSize: opts.chunk_chars });
    if (chunks.length === 0) throw new WhetError('DATASET_EMPTY', `"${upload.filename}" holds no text`, { field: 'file' });
    const used = chunks.slice(0, opts.max_chunks);
    const result = await generateQaPairs(used, chat, { pairsPerChunk: opts.pairs_per_chunk, concurrency: opts.concurrency, temperature: opts.temperature, maxTokens: opts.max_tokens });
    return { filename: upload.filename, chunks, chunks_used: used.length, ...result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of an uploaded document: a PDF's text layer, or UTF-8 text (.txt, .md, no extension). */
async function documentText(filename: string, ext: string, raw: Buffer): Promise<string> {
  if (ext === '.pdf' || (ext === '' && raw.subarray(0, 5).toString('latin1') === '%PDF-')) return (await readPdfText(raw, { name: filename })).text;
  if (!['.txt', '.md', '.markdown', ''].includes(ext)) {
    throw new WhetError('DATASET_FORMAT_UNKNOWN', `"${filename}" is not a .txt, .md or .pdf document`, { field: 'file', hint: 'Upload plain text (.txt), Markdown (.md) or a PDF with a text layer; convert Word and other files to PDF or text first.' });
  }
  if (raw.includes(0)) throw new WhetError('DATASET_FORMAT_UNKNOWN', `"${filename}" is binary, not UTF-8 text`, { field: 'file', hint: 'Upload plain text (.txt) or Markdown (.md) saved as UTF-8, or a PDF named .pdf.' });
  return new TextDecoder('utf-8', { fatal: false }).decode(raw);
}

/**
 * A deployment's name, or a registered model's id or name, as the gateway resolves it; checked
 * before any chunk is sent, so a wrong name is one MODEL_NOT_FOUND (404).
 */
function registeredModelChat(ctx: AppContext, model: string, signal: AbortSignal) {
  ctx.gateway.contextLength(model); // resolves the name or throws, loads nothing
  return gatewayChat(ctx.gateway, model, signal);
}

/** Documents into supervised data, step two: reviewed pairs become a chat dataset, validated like any upload. */
export async function createDatasetFromPairs(ctx: AppContext, body: QaDatasetCreate): Promise<Dataset> {
  const dir = join(ctx.config.home, 'datasets', `.draft-${newId('ds')}`);
  try {
    const file = join(dir, 'qa.jsonl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, qaPairsToRows(body.pairs, body.system).map((r) => JSON.stringify(r)).join('\n') + '\n');
    return await createDatasetFromFile(ctx, file, { name: body.name ?? 'qa-pairs', format: 'openai' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
