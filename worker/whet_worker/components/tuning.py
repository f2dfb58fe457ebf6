"""Choose which parameters train: `lora` (PEFT adapters), `full` (all), `freeze` (the last N layers)."""

from dataclasses import dataclass
from typing import Any

from peft import LoraConfig, get_peft_model
from torch import nn
from transformers import PreTrainedModel

from ..errors import WorkerError
from ..events import emit
from .fast_dropout import use_fast_lora_dropout
from .fused_lora import use_fused_lora


@dataclass(frozen=True)
class Tuned:
    model: nn.Module
    kind: str  # "adapter" (saved as a PEFT adapter) | "full" (saved as whole weights)
    trainable_params: int
    total_params: int


def apply_tuning(model: PreTrainedModel, tuning: str, hp: dict[str, Any]) -> Tuned:
    if tuning == "lora":
        model = get_peft_model(model, lora_config(hp))
        use_fast_lora_dropout(model)  # for the layers PEFT's own forward still runs (DoRA, ...)
        use_fused_lora(model)
        kind = "adapter"
    elif tuning == "full":
        model.requires_grad_(True)
        kind = "full"
    elif tuning == "freeze":
        freeze_all_but_last_layers(model, hp["freeze_trainable_layers"])
        kind = "full"
    else:
        raise WorkerError("INVALID_REQUEST", f"Unknown tuning {tuning!r}")
    # parameters() yields a tied weight once, so tied embeddings are not counted twice.
    params = list(model.parameters())
    trainable = sum(p.numel() for p in params if p.requires_grad)
    return Tuned(model, kind, trainable, sum(p.numel() for p in params))


def lora_config(hp: dict[str, Any]) -> LoraConfig:
    return LoraConfig(
        r=hp["lora_r"],
        lora_alpha=hp["lora_alpha"],
        lora_dropout=hp["lora_dropout"],
        target_modules=hp["lora_target"],  # "all-linear" or module names; PEFT takes both
        task_type="CAUSAL_LM",
    )


def freeze_all_but_last_layers(model: PreTrainedModel, count: int) -> None:
    """Train the last `count` decoder layers and the final norm; an untied head too.

    A tied head stays frozen: training it would also move the input embeddings.
    """
    decoder = model.get_decoder()
    layers = getattr(decoder, "layers", None)
    norm = getattr(decoder, "norm", None)
    if layers is None or norm is None:
        raise WorkerError("MODEL_UNSUPPORTED", f"freeze tuning needs decoder `layers` and `norm`; {type(model).__name__} has none")
    if count > len(layers):
        raise WorkerError(
            "INVALID_HYPERPARAMETER",
            f"freeze_trainable_layers must be <= {len(layers)} (the model's decoder layers), got {count}",
            f"Use 1-{len(layers)}, or full tuning to train every layer.",
        )
    model.requires_grad_(False)
    for layer in layers[len(layers) - count :]:
        layer.requires_grad_(True)
    norm.requires_grad_(True)
    head = model.get_output_embeddings()
    if head.weight is model.get_input_embeddings().weight:
        emit("log", level="info", message="freeze: the output head is tied to the input embeddings, so it stays frozen")
    else:
        head.requires_grad_(True)
