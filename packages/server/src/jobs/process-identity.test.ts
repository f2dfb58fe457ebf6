import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { identityFromProc, identityFromPs, processIdentity } from './process-identity.ts';

describe('processIdentity', () => {
  it('names a live process the same way each time, by /proc and by ps (the path without /proc), and a gone one not at all', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    const viaProc = identityFromProc(pid);
    const viaPs = identityFromPs(pid);
    expect(viaProc).toMatch(new RegExp(`^${pid}@`));
    expect(viaPs).toMatch(new RegExp(`^${pid}@\\w{3} \\w{3} +\\d+ [\\d:]+ \\d{4}$`)); // e.g. "Sat Dec  5 17:15:11 2026"
    expect(identityFromProc(pid)).toBe(viaProc);
    expect(identityFromPs(pid)).toBe(viaPs);
    expect(processIdentity(pid)).toBe(viaProc); // /proc first where there is one
    expect(processIdentity(process.pid)).not.toBe(viaProc);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(identityFromProc(pid)).toBeNull();
    expect(identityFromPs(pid)).toBeNull();
    expect(processIdentity(pid)).toBeNull();
    expect(processIdentity(0)).toBeNull();
  });
});
