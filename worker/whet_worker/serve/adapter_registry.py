"""LoRA adapters by name on one base model, for PEFT mixed-adapter batches.

The base is wrapped in a PeftModel when the first adapter loads; from then on every forward
passes `adapter_names` (one per row, "__base__" for the plain model), so rows with
different adapters, or none, share one batch. Only the engine thread calls load/delete,
between steps, never during a forward.
"""

from pathlib import Path

from peft import PeftModel
from transformers import PreTrainedModel

from ..errors import WorkerError

BASE = "__base__"


class AdapterRegistry:
    def __init__(self, base: PreTrainedModel) -> None:
        self.model: PreTrainedModel | PeftModel = base
        self.paths: dict[str, str] = {}

    def names(self) -> list[str]:
        return sorted(self.paths)

    def load(self, name: str, path: str) -> None:
        """Raise ADAPTER_INVALID for a bad name or a folder that does not fit the base."""
        if not name or name.startswith("__") or "/" in name:
            raise WorkerError("ADAPTER_INVALID", f"Adapter names must be non-empty, without '/', and not start with '__'; got {name!r}")
        if not (Path(path) / "adapter_config.json").is_file():
            raise WorkerError("ADAPTER_INVALID", f"{path} holds no adapter_config.json (is it a PEFT adapter folder?)")
        if name in self.paths:
            self.delete(name)
        try:
            if isinstance(self.model, PeftModel):
                self.model.load_adapter(path, adapter_name=name, is_trainable=False)
            else:
                self.model = PeftModel.from_pretrained(self.model, path, adapter_name=name, is_trainable=False)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise WorkerError("ADAPTER_INVALID", f"Cannot load the adapter {path} as {name!r}: {str(exc)[:400]}") from exc
        self.model.eval()
        self.paths[name] = path

    def delete(self, name: str) -> None:
        if name not in self.paths:
            raise WorkerError("ADAPTER_NOT_FOUND", f"No adapter named {name!r} is loaded; loaded: {self.names() or 'none'}")
        self.model.delete_adapter(name)
        del self.paths[name]

    def forward_kwargs(self, adapters: list[str | None]) -> dict:
        if not isinstance(self.model, PeftModel):
            return {}
        return {"adapter_names": [a or BASE for a in adapters]}
