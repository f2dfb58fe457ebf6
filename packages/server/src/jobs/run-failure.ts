import type { ErrorEvent } from '@whetstone/core';

/**
 * The error a run of several processes ends with, from every error event its ranks and launcher
 * sent. The launcher names the rank that started the failure (the others fail after it, their peer
 * gone); that rank's own error says more than "exited with code 1", so it wins when there is one.
 * Without the launcher's word: the first error. A rank's message is prefixed with the rank.
 */
export function chooseRunError(errors: ErrorEvent[]): ErrorEvent | null {
  if (errors.length === 0) return null;
  const launcher = [...errors].reverse().find((e) => e.source === 'launcher');
  const own = launcher && launcher.rank !== undefined ? errors.find((e) => e.source !== 'launcher' && e.rank === launcher.rank) : undefined;
  const chosen = own ?? launcher ?? errors[0]!;
  if (chosen.rank === undefined || chosen.source === 'launcher') return chosen;
  return { ...chosen, message: `rank ${chosen.rank}: ${chosen.message}` };
}
