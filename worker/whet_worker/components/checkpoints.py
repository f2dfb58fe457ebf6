"""Read what a checkpoint folder says about itself."""

import json
from pathlib import Path

from ..errors import WorkerError


def checkpoint_step(path: str) -> int:
    """The optimizer step a checkpoint was saved at; JOB_NOT_RESUMABLE when it is no checkpoint."""
    state = Path(path) / "trainer_state.json"
    if not state.is_file():
        raise WorkerError("JOB_NOT_RESUMABLE", f"{path} is not a checkpoint folder (no trainer_state.json)")
    return int(json.loads(state.read_text(encoding="utf-8"))["global_step"])
