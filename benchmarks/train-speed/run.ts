// Training speed: Whetstone's LoRA SFT against a plain transformers + PEFT loop on the demo model.
// The work is Python (run.py); this is the entry `npm run bench -- train-speed` looks for. See README.md.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const python = join(here, '..', '..', '.venv', 'bin', 'python');
const r = spawnSync(python, [join(here, 'run.py')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
