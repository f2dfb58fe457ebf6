export { generatePairs } from './generate-pairs.ts';
export { hasReferencePython, runReference, VENV_PYTHON, type ReferenceResult } from './run-reference.ts';
