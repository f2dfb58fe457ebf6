/** UTF-16 code units of the last string given to stringUnits (grown as needed). */
let scratch = new Uint16Array(4096);

/**
 * The code units of `text` in a shared buffer (its first text.length entries), valid until
 * the next call: for the unit-based counters and keys, given a string.
 */
export function stringUnits(text: string): Uint16Array {
  const n = text.length;
  if (scratch.length < n) scratch = new Uint16Array(Math.max(n, scratch.length * 2));
  const units = scratch;
  for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** The string of `units[start..end)`, lone surrogates kept as they are. */
export function unitsToString(units: Uint16Array, start: number, end: number): string {
  const STEP = 8192; // String.fromCharCode takes its units as arguments: keep the count bounded
  if (end - start <= STEP) return String.fromCharCode.apply(null, units.subarray(start, end) as unknown as number[]);
  const parts: string[] = [];
  for (let i = start; i < end; i += STEP) parts.push(String.fromCharCode.apply(null, units.subarray(i, Math.min(end, i + STEP)) as unknown as number[]));
  return parts.join('');
}
