import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

import { WhetError } from '@whetstone/core';

import type { ScorePair } from './score-pairs.ts';

/** Field names accepted per side: ours first, then LLaMA-Factory's generated_predictions.jsonl. */
const FIELDS = { prediction: ['prediction', 'predict'], reference: ['reference', 'label'] } as const;

/**
 * Reads a JSONL file of {"prediction": "...", "reference": "..."} lines (LLaMA-Factory's
 * "predict"/"label" also work). Blank lines are skipped. A line that is not a JSON object, or
 * lacks a field, or holds a non-string, is a DATASET_INVALID error naming its line (1-based)
 * and field; an empty file is DATASET_EMPTY.
 */
export async function readPairs(path: string): Promise<ScorePair[]> {
  try {
    await access(path);
  } catch (cause) {
    throw new WhetError('NOT_FOUND', `cannot read ${path}: no such file`, {
      hint: 'Give the path of a JSONL file with one {"prediction": "...", "reference": "..."} object per line.',
      cause,
    });
  }
  const pairs: ScorePair[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    pairs.push(parsePairLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line, path));
  }
  if (pairs.length === 0) {
    throw new WhetError('DATASET_EMPTY', `${path} holds no pairs`, {
      hint: 'Write one {"prediction": "...", "reference": "..."} object per line.',
    });
  }
  return pairs;
}

export function parsePairLine(text: string, line: number, source = 'input'): ScorePair {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (cause) {
    throw new WhetError('DATASET_INVALID', `${source} line ${line} is not valid JSON: ${(cause as Error).message}`, {
      hint: 'Each line must be one JSON object: {"prediction": "...", "reference": "..."}.',
      line,
      cause,
    });
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new WhetError('DATASET_INVALID', `${source} line ${line} is not a JSON object`, {
      hint: 'Each line must be one JSON object: {"prediction": "...", "reference": "..."}.',
      line,
    });
  }
  const obj = row as Record<string, unknown>;
  const pick = (side: keyof typeof FIELDS): string => {
    const name = FIELDS[side].find((f) => f in obj);
    if (name === undefined) {
      throw new WhetError('DATASET_INVALID', `${source} line ${line} has no "${side}" field`, {
        hint: `Add "${side}" (a string) to every line.`,
        line,
        field: side,
      });
    }
    const value = obj[name];
    if (typeof value !== 'string') {
      throw new WhetError('DATASET_INVALID', `${source} line ${line}: "${name}" must be a string, got ${value === null ? 'null' : typeof value}`, {
        hint: `Write "${name}" as a JSON string ("" for an empty answer).`,
        line,
        field: name,
      });
    }
    return value;
  };
  return { prediction: pick('prediction'), reference: pick('reference') };
}
