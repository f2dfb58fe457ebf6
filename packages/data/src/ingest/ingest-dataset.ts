import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WhetError, type ErrorCode } from '@whetstone/core';
import {
  PURPOSE_OF_FORMAT,
  type ContainerName,
  type DatasetPurpose,
  type FormatName,
  type LineError,
  type NormalizedRow,
  type RawRecord,
  FORMAT_NAMES,
} from '../types.ts';
import { ErrorCollector } from '../errors/error-collector.ts';
import { mixedFormats } from '../errors/format-errors.ts';
import { typeName } from '../errors/type-name.ts';
import { sniffFile } from '../containers/sniff-file.ts';
import { readRecords } from '../containers/read-records.ts';
import { readRawLines, type LineItem, type RawLine } from '../containers/read-lines.ts';
import { jsonlRecord } from '../containers/read-jsonl.ts';
import { withChatLineFacts } from './chat-line-batches.ts';
import type { ChatLineFacts } from '../stats/chat-line-facts.ts';
import { detectRowFormat } from '../formats/detect-format.ts';
import { normalizeRow } from '../formats/normalize-row.ts';
import { subjectFromFilename } from '../formats/subject-from-filename.ts';
import { StatsCollector } from '../stats/stats-collector.ts';
import type { DatasetStats } from '../stats/dataset-stats.ts';
import { loadTokenizer } from '../tokenize/load-tokenizer.ts';
import { ConversationTokenCounter } from '../tokenize/conversation-tokens.ts';
import { AtomicWriter } from '../io/atomic-writer.ts';
import { defaultLimits, type IngestLimits } from './ingest-limits.ts';

export interface IngestOptions extends Partial<IngestLimits> {
  /** The name the user gave the file; its extension helps tell CSV and text apart. */
  filename?: string;
  /** Skip detection: read every row as this format. */
  format?: FormatName;
  /** Use the valid rows of a file with errors, and report the dropped ones. */
  keepGoodRows?: boolean;
  /** How many line errors to list (all are counted); default 100. */
  maxErrors?: number;
  /** The model's tokenizer.json (or its folder), for token statistics. */
  tokenizerPath?: string;
  /**
   * Take JSONL lines that are already their normalized row as they are (CanonicalChatLine);
   * default true. The results are the same either way: false is for the tests that check so.
   */
  fastPath?: boolean;
  /**
   * Worker threads for the fast path's per-byte work (default 0: all on this thread). The
   * results are the same with any number. Not on by default: on the shared 2-core machine it was
   * built on it could not be shown to help (see benchmarks/data-validation/README.md).
   */
  threads?: number;
  /**
   * Work out the fast path's per-line facts with the WebAssembly scanner (default true); false
   * uses its TypeScript reference. The results are the same either way.
   */
  wasm?: boolean;
}

export interface IngestResult {
  format: FormatName;
  container: ContainerName;
  purpose: DatasetPurpose;
  status: 'ready' | 'invalid';
  /** Valid rows (written to data.jsonl when the status is ready). */
  rows: number;
  /** Rows with at least one error. */
  dropped_rows: number;
  errors: LineError[];
  error_counts: Record<string, number>;
  preview: NormalizedRow[];
  sha256: string;
  size_bytes: number;
  stats: DatasetStats;
  /** outDir/data.jsonl when written, else null. */
  data_path: string | null;
}

const PREVIEW_ROWS = 5;
/** Rows of no known shape held while the format is still unknown. */
const MAX_UNDETECTED = 1000;

/**
 * Reads an uploaded file once, in constant memory: detects its container and format (or takes
 * the named format), validates every row, normalizes the valid ones to the internal form and
 * writes them to `outDir/data.jsonl` (temp file + rename) when the dataset is usable, with
 * statistics. Line problems are returned in `errors`; a WhetError is thrown only when the file
 * cannot be a dataset at all (too large, empty, binary, no row of a known format).
 */
export async function ingestDataset(inputPath: string, outDir: string, opts: IngestOptions = {}): Promise<IngestResult> {
  const limits = { ...defaultLimits(), ...definedOnly(opts) };
  if (opts.format !== undefined && !FORMAT_NAMES.includes(opts.format)) {
    throw new WhetError('INVALID_REQUEST', `Unknown format "${String(opts.format)}".`, { hint: `Use one of ${FORMAT_NAMES.join(', ')}, or leave it out to detect it.` });
  }
  const size = (await stat(inputPath)).size;
  if (size > limits.maxBytes) {
    throw new WhetError('PAYLOAD_TOO_LARGE', `The file is ${mb(size)}, over the ${mb(limits.maxBytes)} upload limit.`);
  }
  const sniff = await sniffFile(inputPath, opts.filename);

  const hash = createHash('sha256');
  const hashed = sniff.container !== 'parquet';
  const tokens = opts.tokenizerPath ? tokenCounting(opts.tokenizerPath) : null;
  const stats = new StatsCollector(tokens);
  const errors = new ErrorCollector(opts.maxErrors ?? 100);
  const dataPath = join(outDir, 'data.jsonl');
  let writer: AtomicWriter | null = await AtomicWriter.create(dataPath);
  const preview: NormalizedRow[] = [];
  let format: FormatName | null = opts.format ?? null;
  let rows = 0;
  let records = 0;
  let firstUnknown: RawRecord | null = null;
  const undetected: RawRecord[] = [];
  const fileSubject = subjectFromFilename(opts.filename);

  const accept = (rec: RawRecord & { value: Record<string, unknown> }, fmt: FormatName): void => {
    const detected = detectRowFormat(rec.value);
    if (detected && detected.format !== fmt) {
      errors.addRow([mixedFormats(rec.line, fmt, detected.format, detected.key)]);
      return;
    }
    const r = normalizeRow(fmt, rec.value, rec.line, rec.stringCells);
    if (r.errors) {
      errors.addRow(r.errors);
      return;
    }
    // MMLU and C-Eval release one file per subject, named for it, with no subject column.
    if ('choices' in r.row && r.row.subject === undefined && fileSubject) r.row.subject = fileSubject;
    const line = JSON.stringify(r.row);
    rows++;
    stats.add(r.row, line);
    if (preview.length < PREVIEW_ROWS) preview.push(r.row);
    writer?.writeLine(line);
  };
  // JSONL lines that are already their normalized row skip decoding, parsing and re-encoding
  // (see CanonicalChatLine); token counting needs the strings, so it takes the general path
  const fast = sniff.container === 'jsonl' && !tokens && opts.fastPath !== false;
  const lineOpts = { maxLineBytes: limits.maxLineBytes, onChunk: hashed ? (c: Buffer) => hash.update(c) : undefined };
  /** Takes raw line j of a batch as the canonical row it is, when it is one and the rows are OpenAI chat. */
  const acceptCanonical = (l: RawLine, facts: ChatLineFacts, j: number): boolean => {
    if (format !== 'openai' || facts.ok[j] === 0 || l.bytes.length > limits.maxLineBytes) return false;
    rows++;
    stats.addChatLine(facts, j);
    if (preview.length < PREVIEW_ROWS) preview.push(JSON.parse(l.bytes.toString('utf8')) as NormalizedRow);
    writer?.writeBytes(l.bytes);
    return true;
  };
  const threads = Math.max(0, Math.floor(opts.threads ?? 0));

  try {
    const source = fast
      ? withChatLineFacts(readRawLines(inputPath, lineOpts), threads, opts.wasm !== false)
      : mapBatches(readRecords(inputPath, sniff, { ...limits, ...lineOpts }));
    for await (const { items, facts } of source) {
      for (let j = 0; j < items.length; j++) {
        const item = items[j]!;
        let rec: RawRecord;
        if (facts) {
          const l = item as RawLine | LineItem;
          if (l.bytes && acceptCanonical(l, facts, j)) {
            records++;
            continue;
          }
          const r = jsonlRecord(l, lineOpts);
          if (!r) continue; // a blank line
          rec = r;
        } else rec = item as RawRecord;
        records++;
        if (rec.error) {
          errors.addRow([rec.error]);
          continue;
        }
        const v = rec.value;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          errors.addRow([{ line: rec.line, code: 'wrong_type', message: `The row must be a JSON object ({...}), got ${typeName(v)}. Write each row as an object with the fields of its format.` }]);
          continue;
        }
        const obj = rec as RawRecord & { value: Record<string, unknown> };
        if (format === null) {
          const detected = detectRowFormat(obj.value);
          if (!detected) {
            firstUnknown ??= obj;
            undetected.push(obj);
            if (undetected.length > MAX_UNDETECTED) throw unknownFormat(firstUnknown, sniff.container);
            continue;
          }
          format = detected.format;
          for (const u of undetected) accept(u as typeof obj, format);
          undetected.length = 0;
        }
        accept(obj, format);
      }
      if (writer && errors.total > 0 && !opts.keepGoodRows) {
        await writer.abort(); // the dataset is invalid: nothing of it will be used
        writer = null;
      }
      if (writer && writer.pending >= 1 << 20) await writer.flush();
    }
    if (format === null) {
      if (firstUnknown) throw unknownFormat(firstUnknown, sniff.container);
      if (records === 0) throw new WhetError('DATASET_EMPTY', 'The file holds no rows (only blank lines, an empty array or a header).');
      throw unreadable(errors);
    }
    if (rows === 0 && errors.total === 0) throw new WhetError('DATASET_EMPTY', 'The file holds no rows.');

    const status: IngestResult['status'] = errors.total === 0 || (opts.keepGoodRows && rows > 0) ? 'ready' : 'invalid';
    if (writer && status === 'ready') await writer.commit();
    else await writer?.abort();
    writer = null;
    return {
      format,
      container: sniff.container,
      purpose: PURPOSE_OF_FORMAT[format],
      status,
      rows,
      dropped_rows: errors.badLines,
      errors: errors.errors,
      error_counts: errors.counts,
      preview,
      sha256: hashed ? hash.digest('hex') : await hashFile(inputPath),
      size_bytes: size,
      stats: stats.finish(),
      data_path: status === 'ready' ? dataPath : null,
    };
  } finally {
    await writer?.abort();
  }
}

/** The general path's batches, in the shape of withChatLineFacts' (no facts). */
async function* mapBatches(source: AsyncGenerator<RawRecord[]>): AsyncGenerator<{ items: RawRecord[]; facts: null }> {
  for await (const items of source) yield { items, facts: null };
}

function tokenCounting(path: string) {
  const tokenizer = loadTokenizer(path);
  return { tokenizer, counter: new ConversationTokenCounter(tokenizer) };
}

function unknownFormat(rec: RawRecord, container: ContainerName): WhetError {
  const keys = Object.keys(rec.value as object);
  const what = container === 'csv' ? 'columns' : 'fields';
  return new WhetError(
    'DATASET_FORMAT_UNKNOWN',
    `No row has the fields of a known format; line ${rec.line} has ${what} ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : '(none)'}.`,
    {
      hint: 'Use alpaca (instruction, input, output), sharegpt (conversations of from/value), OpenAI chat (messages of role/content), preference pairs (prompt, chosen, rejected), raw text ({"text": ...}) or multiple-choice questions (question, A, B, C, D, answer as MMLU, C-Eval or CMMLU; or question, choices, answer), or name the format on upload.',
      line: rec.line,
    },
  );
}

/** Not one record could be read (every line bad JSON, bad UTF-8, ...): not a dataset. */
function unreadable(errors: ErrorCollector): WhetError {
  const first = errors.errors[0];
  const code: ErrorCode = 'DATASET_FORMAT_UNKNOWN';
  return new WhetError(code, `No row of the file could be read (${errors.total} problems${first ? `; line ${first.line}: ${first.message}` : ''}).`, {
    hint: 'Check that the file is UTF-8 JSONL (one JSON object per line), a JSON array, CSV with a header, Parquet, .txt or .md.',
    line: first?.line,
    field: first?.field,
    details: { errors: errors.errors.slice(0, 20), error_counts: errors.counts },
  });
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function definedOnly(o: Partial<IngestLimits>): Partial<IngestLimits> {
  const out: Partial<IngestLimits> = {};
  for (const k of ['maxBytes', 'maxLineBytes', 'maxDecompressedBytes', 'maxRowGroupBytes'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function mb(n: number): string {
  return `${(n / (1 << 20)).toFixed(1)} MB`;
}
