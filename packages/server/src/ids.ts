import { randomBytes } from 'node:crypto';

/** Short, sortable-enough ids with a type prefix: `job_k3f9...`. */
export function newId(prefix: 'mdl' | 'ds' | 'job' | 'dep' | 'key' | 'exp' | 'conn'): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

export const nowIso = () => new Date().toISOString();
