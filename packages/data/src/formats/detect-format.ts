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
  return null;
}
