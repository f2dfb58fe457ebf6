import { WhetError } from '@whetstone/core';

/**
 * A whole-number query parameter (`?limit=20`, `?after=12`): absent is undefined; anything but
 * plain digits in [min, max] is a 400 naming the parameter (Number() would take "", " 1", "1e3").
 */
export function queryInt(name: string, raw: string | undefined, opts: { min?: number; max?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new WhetError('INVALID_REQUEST', `${name} must be a whole number from ${min} to ${max}, got "${raw}"`, { field: name });
  }
  return n;
}
