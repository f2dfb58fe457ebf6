"""SIGTERM means "checkpoint, then stop" (pause and cancel).

During training the handler only raises a flag; a trainer callback honours it at the next
step end by saving a checkpoint. Before training there is nothing to save, so the handler
stops the process at once by raising StopRequested.
"""

import signal


class StopRequested(BaseException):
    """SIGTERM before training began. A BaseException, so library `except Exception` blocks let it through."""


class GracefulStop:
    def __init__(self) -> None:
        self.requested = False
        self.training = False
        # The last place the job can be resumed from: updated on resume and after each save.
        self.step = 0
        self.checkpoint: str | None = None

    def install(self) -> "GracefulStop":
        signal.signal(signal.SIGTERM, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.requested = True
        if not self.training:
            raise StopRequested()
