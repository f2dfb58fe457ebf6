import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WhetError, type Quantization } from '@whetstone/core';

/**
 * The .gguf file a llamacpp deployment serves for a model folder: the one whose name carries
 * the asked quantization (q8_0, q4_1, ...), searched in the folder and its subfolders one
 * level down (where exports land), or the only GGUF there when no quantization is asked.
 */
export function findGguf(folder: string, quantization: Quantization): string {
  const files: string[] = [];
  const scan = (dir: string, depth: number) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (name.toLowerCase().endsWith('.gguf')) files.push(p);
      else if (depth > 0 && statSync(p).isDirectory()) scan(p, depth - 1);
    }
  };
  scan(folder, 1);
  const tag = (f: string) => f.toLowerCase().replace(/[-.]/g, '_');
  const matching = quantization === 'none' ? files : files.filter((f) => tag(f).includes(`_${quantization}`));
  if (matching.length === 1 || (matching.length > 1 && quantization !== 'none')) return matching.sort()[0]!;
  if (matching.length > 1) {
    throw new WhetError('GGUF_NOT_FOUND', `${folder} holds ${matching.length} GGUF files (${matching.map((f) => f.slice(folder.length + 1)).join(', ')})`, {
      hint: 'Name the one to serve with "quantization" (f16, q8_0, q4_0, ...), or give the .gguf path as the model.',
    });
  }
  throw new WhetError(
    'GGUF_NOT_FOUND',
    quantization === 'none'
      ? `no .gguf file in ${folder}`
      : `no ${quantization} .gguf file in ${folder}${files.length ? ` (found: ${files.map((f) => f.slice(folder.length + 1)).join(', ')})` : ''}`,
  );
}
