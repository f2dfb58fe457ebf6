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


def newest_checkpoint(checkpoints_dir: Path) -> str | None:
    """The complete checkpoint-N folder with the highest N (its trainer_state.json parses), or None.

    A worker killed while saving leaves trainer_state.json truncated or missing: no checkpoint."""
    found = []
    for folder in checkpoints_dir.glob("checkpoint-*"):
        try:
            found.append((int(folder.name.split("-", 1)[1]), checkpoint_step(str(folder)), folder))
        except (ValueError, WorkerError):
            continue
    return str(max(found)[2]) if found else None
