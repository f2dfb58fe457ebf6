import { spawnSync } from 'node:child_process';
import { WhetError } from '@whetstone/core';

/** Per worker Python: whether bitsandbytes and a CUDA device are there (probed once; torch takes seconds to import). */
const probed = new Map<string, { bitsandbytes: boolean; cuda: boolean }>();

function probe(python: string) {
  let found = probed.get(python);
  if (found) return found;
  const run = spawnSync(
    python,
    ['-c', 'import importlib.util as u, json\nb = u.find_spec("bitsandbytes") is not None\nprint(json.dumps({"bitsandbytes": b, "cuda": __import__("torch").cuda.is_available()}))'],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONWARNINGS: 'ignore' } },
  );
  try {
    found = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { bitsandbytes: boolean; cuda: boolean };
  } catch {
    found = { bitsandbytes: false, cuda: false }; // no answer: treated as missing
  }
  probed.set(python, found);
  return found;
}

/**
 * QLoRA loads the base in 4 bits through bitsandbytes, which needs an NVIDIA GPU: refuse the job
 * at creation on a machine without one, naming the alternative, rather than fail in the worker.
 */
export function checkQloraAvailable(python: string): void {
  const found = probe(python);
  if (!found.cuda) {
    throw new WhetError('CUDA_UNAVAILABLE', 'tuning "qlora" loads the base model in 4 bits with bitsandbytes, which needs an NVIDIA GPU with CUDA, and torch sees none on this machine', {
      field: 'tuning',
      hint: 'Use tuning "lora" or "dora" here (the base stays in full precision on a CPU), or run the server on a GPU machine for QLoRA.',
    });
  }
  if (!found.bitsandbytes) {
    throw new WhetError('CUDA_UNAVAILABLE', `tuning "qlora" needs the bitsandbytes Python package, which is not installed in ${python}`, {
      field: 'tuning',
      hint: 'Install it on this GPU machine (`.venv/bin/pip install bitsandbytes`), or use tuning "lora" or "dora".',
    });
  }
}
