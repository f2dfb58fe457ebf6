"""The one error type the worker reports; codes and default hints come from core (error_codes.json)."""

import json
from pathlib import Path

from .events import emit

ERROR_CODES: dict[str, str] = json.loads(
    (Path(__file__).parent / "schemas" / "error_codes.json").read_text(encoding="utf-8")
)


class WorkerError(Exception):
    """A failure a person can act on: `message` states what happened with the numbers, `hint` what to do.

    The hint may be left out: the server fills it from the code.
    """

    def __init__(self, code: str, message: str, hint: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}: add it to core's error codes first")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.hint = hint

    def emit(self) -> None:
        emit("error", code=self.code, message=self.message, hint=self.hint)


def as_worker_error(exc: BaseException) -> WorkerError:
    """Name the failures we can recognize (memory); anything else is INTERNAL, with its type and text."""
    if isinstance(exc, WorkerError):
        return exc
    if _is_out_of_memory(exc):
        return WorkerError("OUT_OF_MEMORY", f"Ran out of memory: {str(exc).splitlines()[0][:300]}")
    return WorkerError("INTERNAL", f"{type(exc).__name__}: {str(exc)[:500]}")


def _is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    import torch  # only reached after a failure, when torch is loaded anyway

    if isinstance(exc, torch.OutOfMemoryError):
        return True
    # The CPU allocator raises a plain RuntimeError.
    return isinstance(exc, RuntimeError) and "can't allocate memory" in str(exc)
