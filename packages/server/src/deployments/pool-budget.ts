import { WhetError } from '@whetstone/core';

/**
 * How much memory an on-demand generation server is counted for: fp32 weights (4 bytes a
 * parameter, what the torch worker loads on CPU; bf16 on a GPU takes half, so this errs on the
 * safe side) times 1.25 for activations, the KV cache of a full batch and the Python runtime.
 */
export const BYTES_PER_PARAM = 4;
export const OVERHEAD = 1.25;

export interface PoolLimits {
  /** WHET_MAX_LOADED_MODELS */
  maxLoadedModels: number;
  /** WHET_MODEL_MEMORY_GB, in bytes */
  memoryBytes: number;
}

/** A base model's estimated footprint; without a parameter count it takes one equal share of the budget. */
export function estimateModelBytes(params: number | null, limits: PoolLimits): number {
  if (params === null || params <= 0) return Math.floor(limits.memoryBytes / limits.maxLoadedModels);
  return Math.ceil(params * BYTES_PER_PARAM * OVERHEAD);
}

/** One loaded (or loading) on-demand server as the budget sees it. */
export interface LoadedModel {
  name: string;
  bytes: number;
  /** Larger is more recent. */
  lastUsed: number;
  /** Requests running or waiting on it: never evicted. */
  busy: boolean;
  /** Seconds a request there usually takes, for Retry-After. */
  typicalRequestS: number;
}

export const formatBytes = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.round(n / 2 ** 20))} MB`);

/**
 * Which idle servers to stop, least recently used first, so that one more model of `needBytes`
 * fits both limits. Stops nothing it does not have to, and nothing at all when stopping every
 * idle server would still not be enough: then it throws CAPACITY_EXCEEDED (503), with
 * `retry_after_s` when busy models will free up, without it when the model is larger than
 * the whole budget.
 */
export function planEviction<T extends LoadedModel>(loaded: T[], need: { name: string; bytes: number }, limits: PoolLimits): T[] {
  const budget = formatBytes(limits.memoryBytes);
  if (need.bytes > limits.memoryBytes) {
    throw new WhetError(
      'CAPACITY_EXCEEDED',
      `the model "${need.name}" needs about ${formatBytes(need.bytes)} (parameters x ${BYTES_PER_PARAM} bytes x ${OVERHEAD}), more than the whole model memory budget of ${budget}`,
      { hint: 'Raise WHET_MODEL_MEMORY_GB if the machine has the memory, or deploy a smaller or quantized (GGUF, llamacpp backend) version of the model.' },
    );
  }
  let count = loaded.length;
  let bytes = loaded.reduce((sum, m) => sum + m.bytes, 0);
  const fits = () => count + 1 <= limits.maxLoadedModels && bytes + need.bytes <= limits.memoryBytes;
  const victims: T[] = [];
  for (const idle of loaded.filter((m) => !m.busy).sort((a, b) => a.lastUsed - b.lastUsed)) {
    if (fits()) break;
    victims.push(idle);
    count--;
    bytes -= idle.bytes;
  }
  if (fits()) return victims;
  const busy = loaded.filter((m) => m.busy);
  // The soonest a busy model usually frees up: one of its typical requests.
  const retry = Math.max(1, Math.ceil(Math.min(...busy.map((m) => m.typicalRequestS), 60)));
  const listed = loaded.map((m) => `"${m.name}" ~${formatBytes(m.bytes)}${m.busy ? ' busy' : ''}`).join(', ');
  throw new WhetError(
    'CAPACITY_EXCEEDED',
    `cannot load "${need.name}" (~${formatBytes(need.bytes)}): ${loaded.length} of ${limits.maxLoadedModels} models are loaded (${listed}; ` +
      `${formatBytes(loaded.reduce((sum, m) => sum + m.bytes, 0))} of the ${budget} budget) and ${busy.length} of them are busy with requests`,
    { details: { retry_after_s: retry, loaded_models: loaded.length, max_loaded_models: limits.maxLoadedModels, memory_budget_bytes: limits.memoryBytes } },
  );
}
