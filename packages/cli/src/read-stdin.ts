import { WhetError } from '@whetstone/core';

/**
 * Everything piped into the command. A terminal on stdin means nothing was piped: refused with
 * `hint` rather than waiting for typing that never ends.
 */
export async function readStdin(hint: string): Promise<string> {
  if (process.stdin.isTTY) throw new WhetError('INVALID_REQUEST', 'nothing on stdin', { hint });
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
