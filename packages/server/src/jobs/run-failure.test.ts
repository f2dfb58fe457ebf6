import { describe, expect, it } from 'vitest';
import type { ErrorEvent } from '@whetstone/core';
import { chooseRunError } from './run-failure.ts';

const err = (fields: Partial<ErrorEvent>): ErrorEvent => ({ type: 'error', code: 'INTERNAL', message: 'boom', ...fields });

describe('chooseRunError', () => {
  it('keeps one process\'s error as it is', () => {
    expect(chooseRunError([err({ code: 'OUT_OF_MEMORY' })])).toEqual(err({ code: 'OUT_OF_MEMORY' }));
    expect(chooseRunError([])).toBeNull();
  });

  it('prefers the own error of the rank the launcher names over the launcher\'s and the other ranks\'', () => {
    const peerGone = err({ rank: 0, message: 'RuntimeError: Connection closed by peer' });
    const own = err({ rank: 1, code: 'OUT_OF_MEMORY', message: 'Ran out of memory' });
    const launcher = err({ rank: 1, code: 'WORKER_FAILED', message: 'rank 1 exited with code 1', source: 'launcher' });
    expect(chooseRunError([peerGone, own, launcher])).toMatchObject({ code: 'OUT_OF_MEMORY', message: 'rank 1: Ran out of memory' });
  });

  it('takes the launcher\'s word for a rank killed without one', () => {
    const peerGone = err({ rank: 0, message: 'RuntimeError: Connection closed by peer' });
    const launcher = err({ rank: 1, code: 'WORKER_LOST', message: 'rank 1 (pid 7) was killed by SIGKILL', source: 'launcher' });
    expect(chooseRunError([peerGone, launcher])).toEqual(launcher);
    expect(chooseRunError([peerGone])).toMatchObject({ message: 'rank 0: RuntimeError: Connection closed by peer' });
  });
});
