import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Physical cores (not hyper-threads): llama.cpp and torch decode fastest with one thread per
 * core, and oversubscribing a 2-core machine made llama.cpp ~100x slower (DESIGN.md).
 */
export function physicalCores(): number {
  const logical = availableParallelism();
  try {
    const cores = new Set<string>();
    let physical = '0';
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [key, value] = line.split(':').map((s) => s.trim());
      if (key === 'physical id') physical = value ?? '0';
      else if (key === 'core id') cores.add(`${physical}/${value}`);
    }
    return cores.size > 0 ? Math.min(cores.size, logical) : logical;
  } catch {
    return logical;
  }
}
