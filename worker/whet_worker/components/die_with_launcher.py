"""A rank of a torchrun run ends with its launcher.

torch's elastic launcher starts each rank in a session of its own (its subprocess handler passes
start_new_session), so signalling the launcher's process group never reaches the ranks. The
launcher forwards SIGTERM itself (checkpoint, then stop), but a launcher killed outright (SIGKILL
at the end of the stop grace, a server restart's clean-up, the OOM killer) would leave its ranks
training on, orphaned, writing the job's folder while a resume starts new ones. Linux's
parent-death signal ends them with it. The launcher names itself in WHET_LAUNCHER_PID
(whet_worker.torchrun); a process without it (one local process, a Ray Train worker) is left alone.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_launcher() -> None:
    launcher = os.environ.get("WHET_LAUNCHER_PID")
    if not launcher or not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != int(launcher):  # the launcher was gone before the line above took effect
        os._exit(1)
