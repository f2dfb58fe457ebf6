import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Repository root, the project venv's python, and the git-ignored fixture cache. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VENV_PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
export const FIXTURE_CACHE = join(REPO_ROOT, '.cache', 'fixtures');
