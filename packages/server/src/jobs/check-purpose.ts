import { type Dataset, type JobCreate, WhetError } from '@whetstone/core';

type Method = JobCreate['method'];

/** The dataset purpose (set at upload from its format) each training method reads. */
const PURPOSE_OF_METHOD: Record<Method, string> = { sft: 'sft', pretrain: 'pretrain', dpo: 'preference', orpo: 'preference' };

const KIND: Record<string, string> = {
  sft: 'instruction chats (alpaca, sharegpt or OpenAI messages)',
  pretrain: 'raw text (.txt, .md or JSONL "text" rows)',
  preference: 'preference pairs (prompt, chosen, rejected)',
};

const METHOD_FOR: Record<string, string> = {
  sft: 'method "sft"',
  pretrain: 'method "pretrain" (continued pre-training)',
  preference: 'method "dpo" or "orpo" (preference learning)',
};

/**
 * Refuse at creation a dataset the method cannot train on, naming what was found and what is
 * needed, instead of a worker failing minutes later on rows it cannot read.
 */
export function checkPurposeFitsMethod(dataset: Dataset, method: Method, field: string): void {
  const needed = PURPOSE_OF_METHOD[method];
  if (dataset.purpose === needed) return;
  const found = KIND[dataset.purpose] ?? `"${dataset.purpose}" data`;
  throw new WhetError('DATASET_METHOD_MISMATCH', `dataset ${dataset.name} (${dataset.id}) holds ${found}, but method "${method}" trains on ${KIND[needed]}`, {
    field,
    hint: `Use ${METHOD_FOR[dataset.purpose] ?? 'the method for this data'} with this dataset, or upload ${KIND[needed]} for method "${method}".`,
    details: { dataset_purpose: dataset.purpose, method, needed_purpose: needed },
  });
}
