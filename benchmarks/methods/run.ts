// Training methods on the demo model against the plain TRL trainer with the same settings, in
// the same run (run.py; see README.md). The entry `npm run bench -- methods` looks for.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const python = join(here, '..', '..', '.venv', 'bin', 'python');
const r = spawnSync(python, [join(here, 'run.py')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
