// This process's CPU time by kind of thread, from /proc/self/task (Linux): which threads a side's
// CPU time per token went to. The JavaScript thread is the process's own id. The other live threads
// are libuv's pool, where node-llama-cpp runs each decode (the thread that calls llama.cpp computes
// too), and V8's platform threads (concurrent GC, compilation); Node 20 names neither, so they are
// one kind. llama.cpp's other compute threads are started per decode and have ended by the next
// snapshot: the process's time less that of the live threads.
import { readdirSync, readFileSync } from 'node:fs';

export const THREAD_KINDS = ['javascript', 'other live threads', 'ended threads'] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];
export type ThreadSnapshot = { processMs: number; threads: Map<string, { kind: ThreadKind; ms: number }> };

const MS_PER_TICK = 1000 / 100; // USER_HZ is 100 on Linux

/** The process's CPU time and every live thread's, by thread id (no threads where /proc is not there). */
export function threadSnapshot(): ThreadSnapshot {
  const usage = process.cpuUsage();
  const threads: ThreadSnapshot['threads'] = new Map();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    // not Linux
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after the name: fields[0] is the state, field 3 of stat(5)
      threads.set(tid, { kind: kindOf(tid), ms: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK }); // utime + stime
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { processMs: (usage.user + usage.system) / 1000, threads };
}

function kindOf(tid: string): ThreadKind {
  return tid === String(process.pid) ? 'javascript' : 'other live threads';
}

/** Milliseconds of CPU per kind between two snapshots, added to `sum` when given. */
export function cpuMsByKind(before: ThreadSnapshot, after: ThreadSnapshot, sum?: Record<ThreadKind, number>): Record<ThreadKind, number> {
  const out = sum ? { ...sum } : (Object.fromEntries(THREAD_KINDS.map((k) => [k, 0])) as Record<ThreadKind, number>);
  let live = 0;
  for (const [tid, now] of after.threads) {
    const ms = now.ms - (before.threads.get(tid)?.ms ?? 0);
    out[now.kind] += ms;
    live += ms;
  }
  // Ticks are 10 ms: a small negative remainder is rounding, not time.
  out['ended threads'] += Math.max(0, after.processMs - before.processMs - live);
  return out;
}
