/** Limits on nesting: V8 parses any depth, but JSON.stringify and recursion do not survive it. */
export const MAX_VALUE_DEPTH = 64;
/** Lines longer than this are scanned for depth before JSON.parse (a short line cannot hurt). */
export const DEPTH_SCAN_MIN_LENGTH = 64 * 1024;
/** A raw line nesting deeper than this is refused unparsed. */
export const MAX_LINE_DEPTH = 1000;

/** Whether a parsed value nests deeper than `limit`; stops as soon as it does. */
export function exceedsDepth(v: unknown, limit: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (limit <= 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (exceedsDepth(x, limit - 1)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) if (exceedsDepth((v as Record<string, unknown>)[k], limit - 1)) return true;
  return false;
}

/** Whether JSON text opens more than `limit` brackets at once, ignoring brackets in strings. */
export function textExceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
