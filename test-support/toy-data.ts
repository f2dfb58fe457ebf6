import { writeFileSync } from 'node:fs';

/** A learnable toy chat set: a fixed mapping from a few questions to short answers, repeated. */
export function toyChatRows(n = 32): { messages: { role: string; content: string }[] }[] {
  const pairs = [
    ['What colour is the sky?', 'The sky is blue.'],
    ['What colour is grass?', 'Grass is green.'],
    ['What colour is snow?', 'Snow is white.'],
    ['What colour is coal?', 'Coal is black.'],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [q, a] = pairs[i % pairs.length]!;
    return { messages: [{ role: 'user', content: q! }, { role: 'assistant', content: a! }] };
  });
}

export function writeJsonl(path: string, rows: unknown[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}
