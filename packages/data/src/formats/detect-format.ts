import type { FormatName } from '../types.ts';

/** The format a row's keys say it is, and the key that says so; null when none fits. */
export function detectRowFormat(rec: Record<string, unknown>): { format: FormatName; key: string } | null {
  if ('preferred_output' in rec || 'non_preferred_output' in rec) return { format: 'preference', key: 'preferred_output' in rec ? 'preferred_output' : 'non_preferred_output' };
  if ('chosen' in rec || 'rejected' in rec) return { format: 'preference', key: 'chosen' in rec ? 'chosen' : 'rejected' };
  if ('messages' in rec) {
    // LLaMA-Factory's sharegpt may use the "messages" tag with from/value turns
    const first = Array.isArray(rec.messages) ? (rec.messages[0] as Record<string, unknown> | undefined) : undefined;
    if (first && typeof first === 'object' && 'from' in first) return { format: 'sharegpt', key: 'messages' };
    return { format: 'openai', key: 'messages' };
  }
  if ('conversations' in rec) return { format: 'sharegpt', key: 'conversations' };
  if ('instruction' in rec || 'output' in rec) return { format: 'alpaca', key: 'instruction' in rec ? 'instruction' : 'output' };
  if ('text' in rec) return { format: 'text', key: 'text' };
  return detectMultipleChoice(rec);
}

/** MMLU, C-Eval and CMMLU hold the choices in columns A, B, C, D; a plain row in `choices`. */
function detectMultipleChoice(rec: Record<string, unknown>): { format: FormatName; key: string } | null {
  if ('question' in rec && 'choices' in rec) return { format: 'choices', key: 'choices' };
  if (!('A' in rec && 'B' in rec)) return null;
  if ('Question' in rec) return { format: 'cmmlu', key: 'Question' };
  if ('question' in rec && 'explanation' in rec) return { format: 'ceval', key: 'explanation' };
  if ('question' in rec && 'id' in rec) return { format: 'ceval', key: 'id' };
  if ('question' in rec) return { format: 'mmlu', key: 'question' };
  return null;
}
