// Writes the worker's JSON Schemas from core: `npx tsx packages/core/scripts/gen-worker-schemas.ts`
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerSchemaFiles } from '../src/worker-schemas.ts';

const dir = fileURLToPath(new URL('../../../worker/whet_worker/schemas/', import.meta.url));
for (const [name, text] of Object.entries(workerSchemaFiles())) writeFileSync(join(dir, name), text);
console.log(`wrote ${Object.keys(workerSchemaFiles()).join(', ')} to ${dir}`);
