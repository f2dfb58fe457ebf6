import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * A string naming one process for its whole life: its pid plus when it started. Once a process
 * exits the OS may hand its pid to another one, which then has another identity, so a pid stored
 * by a previous server never leads us to signal a stranger. null when no such process lives.
 *
 * Linux reads /proc (no subprocess); elsewhere, or without /proc, `ps -o lstart=` (Linux and the
 * BSDs/macOS alike). A platform with neither gives null: we then never signal a stored pid.
 */
export function processIdentity(pid: number): string | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const fromProc = identityFromProc(pid);
  return fromProc === undefined ? identityFromPs(pid) : fromProc;
}

/** undefined when this system has no /proc to ask; null when the process is gone (or a zombie). */
export function identityFromProc(pid: number): string | null | undefined {
  let boot: string;
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which may itself hold spaces or ')': state is field 3, start time (ticks since boot) field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X' || !fields[19]) return null;
  // Ticks since boot repeat after a reboot: the boot id tells two boots apart.
  return `${pid}@${boot}+${fields[19]}`;
}

export function identityFromPs(pid: number): string | null {
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return started ? `${pid}@${started}` : null;
  } catch {
    return null; // no such process (ps exits 1), or no ps at all
  }
}
