"""When the server is gone, the worker checkpoints and stops, as on SIGTERM.

The worker's stdout and stderr are pipes the server reads. A server killed outright (kill -9, a
crash, the OOM killer) closes them, and the worker's next event or log line raised BrokenPipeError
in the middle of a training step: the worker died without a checkpoint, losing the steps since the
last save, and a library's half-written output could be cut anywhere. Nobody reads its events any
more, so training on would only burn the machine. Instead the pipes are pointed at /dev/null (so
the rest of the shutdown cannot fail on them) and the process signals itself SIGTERM: the same
"checkpoint, then stop" path as a pause, which the next server finds as a resumable job.
"""

import os
import signal
import sys
from typing import Any

_gone = False


def server_gone() -> None:
    """Point fds 1, 2 and the events' own fd at /dev/null, then ask this process to stop (once)."""
    global _gone
    if _gone:
        return
    _gone = True
    from . import events  # late: events imports this module

    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in {1, 2, events.event_fd()}:
        os.dup2(devnull, fd)  # the wrappers stay; their buffered bytes now flush into /dev/null
    os.close(devnull)
    os.kill(os.getpid(), signal.SIGTERM)


class GuardedStream:
    """A text stream (stderr) whose write or flush on a closed pipe means the server is gone."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            server_gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            server_gone()

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding, ...: the real stream's
        return getattr(self._stream, name)


def guard_stderr() -> None:
    if not isinstance(sys.stderr, GuardedStream):
        sys.stderr = GuardedStream(sys.stderr)
