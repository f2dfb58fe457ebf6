"""The worker → server protocol (core/src/protocol/worker-events.ts): one JSON object per line
on stdout, and nothing else on stdout."""

import json
import math
import os
import sys
from typing import Any, Callable, TextIO

from .components.distributed import this_rank
from .server_gone import guard_stderr, server_gone

_out: TextIO = sys.stdout
# Where events go instead of stdout, when the process is not the server's child (a Ray Train
# worker hands them to its driver, which prints them).
_sink: Callable[[dict], None] | None = None


def send_events_to(sink: Callable[[dict], None] | None) -> None:
    global _sink
    _sink = sink


def claim_stdout() -> None:
    """Keep the real stdout for events; send print(), tqdm and C-level writes to stderr instead.

    Libraries print (transformers' PrinterCallback, progress bars); one stray line on stdout
    would reach the server as a bogus log event, so fd 1 itself is pointed at stderr. A write
    that finds the server gone (a closed pipe) stops the worker at a checkpoint (server_gone).
    """
    global _out
    sys.stdout.flush()
    _out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    guard_stderr()
    sys.stdout = sys.stderr


def event_fd() -> int:
    return _out.fileno()


def emit(event_type: str, /, **fields: Any) -> None:
    """Write one event line and flush it, so the server sees it at once.

    In a multi-process run only rank 0 reports; another rank says only its failure, naming itself.
    """
    rank = this_rank()
    if not rank.reports and event_type != "error":
        return
    if rank.distributed and event_type == "error":
        fields = {**fields, "rank": rank.rank}
    event = {"type": event_type, **{k: _finite(v) for k, v in fields.items()}}
    if _sink is not None:
        _sink(event)
        return
    write_event(event)


def write_event(event: dict) -> None:
    """One event as a line on the real stdout (the driver of a Ray run re-prints its workers' this way)."""
    line = json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        _out.write(line)
        _out.flush()
    except BrokenPipeError:
        server_gone()


def _finite(value: Any) -> Any:
    # JSON has no NaN/Infinity; JavaScript's JSON.parse would reject the whole line.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
