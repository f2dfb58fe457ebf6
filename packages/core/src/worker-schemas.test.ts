import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerSchemaFiles } from './worker-schemas.ts';

describe('worker schemas', () => {
  it('committed copies match core (run packages/core/scripts/gen-worker-schemas.ts)', () => {
    for (const [name, text] of Object.entries(workerSchemaFiles())) {
      const path = fileURLToPath(new URL(`../../../worker/whet_worker/schemas/${name}`, import.meta.url));
      expect(readFileSync(path, 'utf8'), name).toBe(text);
    }
  });
});
