"""OpenMP's wait policy for the worker's torch threads, chosen before torch loads libgomp (which
reads its environment once, when it is loaded).

libgomp's threads spin-wait at every barrier (300,000 rounds) before they sleep. A LoRA step on
CPU is thousands of small parallel ops, so where other processes hold cores (a laptop in use, a
shared box, a second job) a spinning thread burns the time slice its partner needs to reach the
barrier: a step took 1.7 to 5 times as long as with sleeping (PASSIVE) threads. On an idle
machine spinning is worth about 15-25% of a training step (`npm run bench -- busy-machine`,
benchmarks/busy-machine/README.md). So the worker looks at the machine as it starts: threads
sleep at barriers when other processes keep at least half a core busy, and spin otherwise. A
user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT always wins (ACTIVE for a machine that only trains,
PASSIVE for one that is shared).
"""

import os
import time
from collections.abc import MutableMapping

# Other processes' busy cores from which threads sleep at barriers.
BUSY_CORES = 0.5


def default_openmp_wait(environ: MutableMapping[str, str], busy: float | None = None) -> None:
    """Set OMP_WAIT_POLICY=PASSIVE when the machine is busy (`busy`: cores in use by others,
    measured when not given), unless the user chose a wait policy or a spin count."""
    if "OMP_WAIT_POLICY" in environ or "GOMP_SPINCOUNT" in environ:
        return
    if busy is None:
        busy = busy_cores()
    if busy is not None and busy >= BUSY_CORES:
        environ["OMP_WAIT_POLICY"] = "PASSIVE"


def busy_cores(interval: float = 0.1) -> float | None:
    """How many cores other processes kept busy over `interval` seconds (this one sleeps meanwhile),
    from /proc/stat; None where it cannot be read (not Linux)."""
    try:
        first = _cpu_times()
        time.sleep(interval)
        second = _cpu_times()
    except (OSError, ValueError, IndexError):
        return None
    total = second[0] - first[0]
    if total <= 0:
        return None
    return (1 - (second[1] - first[1]) / total) * (os.cpu_count() or 1)


def _cpu_times() -> tuple[int, int]:
    """(all, idle) jiffies of the machine: /proc/stat's first line (user nice system idle iowait irq softirq steal)."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    return sum(fields), fields[3] + fields[4]
