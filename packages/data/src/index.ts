/**
 * @whetstone/data: dataset formats, streaming validation, statistics, token counting,
 * advice, mixing and splits.
 */
export { ingestDataset, type IngestOptions, type IngestResult } from './ingest/ingest-dataset.ts';
export { defaultLimits, type IngestLimits } from './ingest/ingest-limits.ts';
export { computeStats, type ComputeStatsOptions } from './stats/compute-stats.ts';
export type { DatasetStats, TokenStats } from './stats/dataset-stats.ts';
export type { LengthSummary, LengthHistogram } from './stats/length-summary.ts';
export { loadTokenizer, countTokens, encodeText, type LoadedTokenizer } from './tokenize/load-tokenizer.ts';
export { readChatTemplate, type ChatTemplateFound } from './tokenize/read-chat-template.ts';
export { ConversationTokenCounter } from './tokenize/conversation-tokens.ts';
export { countChatTokens, type ChatTokenCount } from './tokenize/count-chat-tokens.ts';
export { LabelCounter, detectLabelSet, MAX_LABELS, MIN_LABEL_COVERAGE, MAX_LABEL_CHARS } from './labels/label-counter.ts';
export { adviseDataset, type Advice, type AdviseOptions } from './advise/advise-dataset.ts';
export { mixDatasets, planMix, type MixInput, type MixEntry, type MixResult } from './mix/mix-datasets.ts';
export { splitDataset, autoValidation, type SplitOptions, type SplitResult } from './split/split-dataset.ts';
export { normalizeRow } from './formats/normalize-row.ts';
export { detectRowFormat } from './formats/detect-format.ts';
export { LINE_ERROR_CODES, type LineErrorCode } from './errors/line-error-codes.ts';
export type { DedupMode } from './stats/dedup-key.ts';
export { PromptIndex, rowPrompt, countPromptOverlap, type PromptOverlap } from './overlap/prompt-index.ts';
export { trainingOverlap } from './overlap/training-overlap.ts';
export {
  FORMAT_NAMES,
  CONTAINER_NAMES,
  PURPOSE_OF_FORMAT,
  type FormatName,
  type ContainerName,
  type DatasetPurpose,
  type NormalizedRow,
  type SftRow,
  type PreferenceRow,
  type TextRow,
  type ChatMessage,
  type LineError,
} from './types.ts';
export { chunkDocument, type DocumentChunk, type ChunkOptions } from './documents/chunk-document.ts';
export { outsideExcerpt } from './documents/outside-excerpt.ts';
export { chatCompletion, type ChatEndpoint, type ChatFn, type ChatOptions, type ChatTurn, type ChatCompletion } from './documents/chat-endpoint.ts';
export { parseQaPairs } from './documents/parse-qa-pairs.ts';
export { generateQaPairs, qaPairsToRows, qaPrompt, type QaPair, type QaFailure, type GenerateQaOptions, type GenerateQaResult } from './documents/generate-qa-pairs.ts';
export { readPdfText, pageText, defaultPdfTextLimits, type PdfText, type PdfTextLimits, type PdfTextItem } from './documents/read-pdf-text.ts';
