"""FSDP (spec.strategy "fsdp"): the trainer's own options that shard the model across the ranks, and
the full weights gathered for the final save.

The Trainer does the sharding (accelerate's FSDP2 `fully_shard`), its checkpoints and its resume;
the worker only chooses the options:
- FSDP2 (fsdp_config version 2: transformers 5 deprecates version 1), one shard unit per decoder
  layer, named by the model's `_no_split_modules` (LlamaDecoderLayer, Qwen2DecoderLayer, ...).
  FSDP2 shards parameter by parameter, so a LoRA or freeze model (frozen and trained weights in
  one layer) needs nothing like FSDP1's `use_orig_params`.
- FULL_STATE_DICT checkpoints: each checkpoint holds the whole model, which rank 0 writes (the
  Trainer's FSDP save: the adapter or weights the server serves, plus its FSDP resume file).
- FSDP's own activation checkpointing instead of the trainer's (both raise in the Trainer; the
  trainer's re-gathers every layer's shards once more in the backward pass).
- No auto_find_batch_size: one rank halving its batch after an out-of-memory error would leave
  the others waiting in a collective.

CUDA only. On CPU neither FSDP version runs through the Trainer (accelerate 1.15, checked with two
gloo ranks): FSDP1 raises at once (its sync_module_states needs an accelerator device), and FSDP2
is dropped without a word (AcceleratorState turns FSDP on only for a GPU-like distributed type, so
the ranks train as plain DDP). The server refuses "fsdp" on CPU at creation; this module refuses it
again, rather than train as DDP under the name FSDP.
"""

from typing import Any

from torch import nn

from ..errors import WorkerError

# The libraries' own words, quoted in the refusal (the server's copy is resolve-resources.ts).
CPU_REASON = (
    "FSDP needs a GPU: on CPU accelerate 1.15 refuses FSDP1 (\"There are currently no available devices found, "
    "must be one of 'XPU', 'CUDA', 'MLU', 'NPU', 'MUSA', or 'HPU'.\") and leaves FSDP2 off without a word "
    "(its state turns FSDP on only for a GPU-like distributed type, so every process would hold and train "
    "the whole model, as under DDP)"
)


def check_strategy(strategy: str | None, device: str) -> None:
    """Refuse fsdp off CUDA before any weight loads. Raises WorkerError INVALID_REQUEST."""
    if strategy == "fsdp" and device != "cuda":
        raise WorkerError("INVALID_REQUEST", f"strategy \"fsdp\" on device {device!r}: {CPU_REASON}", "Use strategy \"ddp\" on CPU, or a CUDA GPU a process.")


def fsdp_options(model: nn.Module, strategy: str | None, device: str) -> dict[str, Any] | None:
    """The TrainingArguments fields that turn FSDP on for `model`; None for DDP (or one process).

    Raises WorkerError INVALID_REQUEST: fsdp on CPU, or a model that names no decoder layer class.
    """
    if strategy != "fsdp":
        return None
    check_strategy(strategy, device)
    layers = decoder_layer_classes(model)
    return {
        "fsdp": True,
        "fsdp_config": {
            "version": 2,
            "auto_wrap_policy": "TRANSFORMER_BASED_WRAP",
            "transformer_layer_cls_to_wrap": layers,
            "state_dict_type": "FULL_STATE_DICT",
            "reshard_after_forward": True,
            "activation_checkpointing": True,
        },
        "activation_checkpointing": False,
        "auto_find_batch_size": False,
    }


def decoder_layer_classes(model: nn.Module) -> list[str]:
    """The class names FSDP wraps one unit each: the model's `_no_split_modules` (a PEFT model's base's)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    names = sorted(getattr(base, "_no_split_modules", None) or [])
    if not names:
        raise WorkerError(
            "INVALID_REQUEST",
            f"strategy \"fsdp\": {type(base).__name__} names no decoder layer class (_no_split_modules), so FSDP cannot shard it layer by layer",
            "Use strategy \"ddp\" for this model.",
        )
    return names


def gather_full_state_dict(trainer) -> dict[str, Any] | None:
    """Under FSDP, the whole model's weights on rank 0 (a collective: every rank calls it); None otherwise."""
    if not getattr(trainer, "is_fsdp_enabled", False):
        return None
    return trainer.accelerator.get_state_dict(trainer.model)
