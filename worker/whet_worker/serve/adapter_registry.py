"""Adapters by name on one base model, for PEFT mixed-adapter batches.

LoRA (and DoRA) adapters: the base is wrapped in a PeftModel when the first one loads; from
then on every forward passes `adapter_names` (one per row, "__base__" for the plain model), so
rows with different adapters, or none, share one batch (DoRA's rows too: dora_batches.py).

Prompt-learning adapters (ptuning, prefix) change no layer: each is kept as its virtual tokens'
KV cache (components/virtual_prefix.py). A row using one starts its cache with that prefix
(engine.py prefills it on its own) and otherwise runs as a row of the plain base ("__base__"),
so it shares the running batch with every other row.

Only the engine thread calls load/delete, between steps, never during a forward.
"""

from pathlib import Path

from peft import PeftModel
from transformers import PreTrainedModel

from ..components.virtual_prefix import VirtualPrefix, is_prompt_learning, load_virtual_prefix
from ..errors import WorkerError
from .dora_batches import allow_dora_in_mixed_batches

BASE = "__base__"


class AdapterRegistry:
    def __init__(self, base: PreTrainedModel) -> None:
        self.model: PreTrainedModel | PeftModel = base
        self.paths: dict[str, str] = {}
        self.prefixes: dict[str, VirtualPrefix] = {}  # the prompt-learning adapters among them

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
        if is_prompt_learning(path):
            self.prefixes[name] = load_virtual_prefix(self.model, path, self.forward_kwargs([None]))
            self.paths[name] = path
            return
        try:
            if isinstance(self.model, PeftModel):
                self.model.load_adapter(path, adapter_name=name, is_trainable=False)
            else:
                self.model = PeftModel.from_pretrained(self.model, path, adapter_name=name, is_trainable=False)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise WorkerError("ADAPTER_INVALID", f"Cannot load the adapter {path} as {name!r}: {str(exc)[:400]}") from exc
        allow_dora_in_mixed_batches(self.model)
        self.model.eval()
        self.paths[name] = path

    def delete(self, name: str) -> None:
        if name not in self.paths:
            raise WorkerError("ADAPTER_NOT_FOUND", f"No adapter named {name!r} is loaded; loaded: {self.names() or 'none'}")
        if self.prefixes.pop(name, None) is None:
            self.model.delete_adapter(name)
        del self.paths[name]

    def virtual_prefix(self, name: str | None) -> VirtualPrefix | None:
        """The virtual tokens a row with adapter `name` starts with; None for LoRA adapters and the base."""
        return self.prefixes.get(name) if name is not None else None

    def virtual_length(self, name: str | None) -> int:
        prefix = self.virtual_prefix(name)
        return prefix.length if prefix is not None else 0

    def forward_kwargs(self, adapters: list[str | None]) -> dict:
        if not isinstance(self.model, PeftModel):
            return {}
        # A prompt-learning adapter's rows run the plain base: their prefix is in the cache.
        return {"adapter_names": [BASE if a is None or a in self.prefixes else a for a in adapters]}
