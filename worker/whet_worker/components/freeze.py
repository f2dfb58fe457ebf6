"""Freeze tuning: which weights of the plain model train.

- `freeze_layers` absent or null: the last `freeze_trainable_layers` decoder layers and the
  final norm; an untied head too (a tied head stays frozen: training it would also move the
  input embeddings).
- `freeze_layers` a list: exactly what it names trains, nothing else (not even the final norm).
  An int is a decoder layer index (0 is the first; `model.layers.<i>.*`). A string is a
  pattern matched against parameter names (`model.layers.23.mlp.up_proj.weight`, so module
  names match too): "mlp", "self_attn.q_proj", "layers.23", "norm". A number in a pattern
  matches whole numbers only: "layers.2" is layer 2, never layers 20-29. A name that matches
  the tied head or the embedding trains both (they are one tensor).

An index the model does not have, or a pattern that matches nothing, is INVALID_HYPERPARAMETER
naming it and saying what exists.
"""

import re
from typing import Any

from torch import nn
from transformers import PreTrainedModel

from ..errors import WorkerError
from ..events import emit


def apply_freeze(model: PreTrainedModel, hp: dict[str, Any]) -> None:
    chosen = hp.get("freeze_layers")
    if chosen:
        train_only(model, chosen)
    else:
        freeze_all_but_last_layers(model, hp["freeze_trainable_layers"])


def decoder_layers(model: PreTrainedModel) -> nn.ModuleList:
    layers = getattr(model.get_decoder(), "layers", None)
    if layers is None:
        raise WorkerError("MODEL_UNSUPPORTED", f"freeze tuning needs decoder `layers`; {type(model).__name__} has none")
    return layers


def freeze_all_but_last_layers(model: PreTrainedModel, count: int) -> None:
    """Train the last `count` decoder layers and the final norm; an untied head too."""
    layers = decoder_layers(model)
    norm = getattr(model.get_decoder(), "norm", None)
    if norm is None:
        raise WorkerError("MODEL_UNSUPPORTED", f"freeze tuning needs a decoder `norm`; {type(model).__name__} has none")
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


def train_only(model: PreTrainedModel, chosen: list[int | str]) -> None:
    """Train exactly the decoder layers (ints) and parameters matching the patterns (strings) in `chosen`."""
    layers = decoder_layers(model)
    indices = [c for c in chosen if isinstance(c, int) and not isinstance(c, bool)]
    patterns = [c for c in chosen if isinstance(c, str)]
    if len(indices) + len(patterns) != len(chosen):
        raise WorkerError("INVALID_HYPERPARAMETER", f"freeze_layers holds layer indices (ints) and name patterns (strings); got {chosen!r}")
    bad = [i for i in indices if not 0 <= i < len(layers)]
    if bad:
        raise WorkerError(
            "INVALID_HYPERPARAMETER",
            f"freeze_layers names layer {', '.join(map(str, bad))}, but the model has layers 0-{len(layers) - 1}",
            f"Use decoder layer indices 0-{len(layers) - 1} (0 is the first), or name patterns such as \"layers.{len(layers) - 1}\" or \"mlp\".",
        )
    # remove_duplicate=False: a tied head is listed under its own name too, so "lm_head" matches it.
    named = list(model.named_parameters(remove_duplicate=False))
    selected: dict[int, nn.Parameter] = {}
    for pattern in patterns:
        matcher = _matcher(pattern)
        hits = [p for name, p in named if matcher.search(name)]
        if not hits:
            raise WorkerError(
                "INVALID_HYPERPARAMETER",
                f"freeze_layers pattern {pattern!r} matches no parameter of this model; its names are {_name_overview(named, len(layers))}",
                "Give a part of those names (\"mlp\", \"self_attn\", \"layers.3\"), or a layer index.",
            )
        selected.update((id(p), p) for p in hits)
    model.requires_grad_(False)
    for i in indices:
        layers[i].requires_grad_(True)
    for param in selected.values():
        param.requires_grad_(True)
    head, embeddings = model.get_output_embeddings(), model.get_input_embeddings()
    if head is not None and head.weight is embeddings.weight and head.weight.requires_grad:
        emit("log", level="info", message="freeze: the output head is tied to the input embeddings; both train")


def _matcher(pattern: str) -> re.Pattern:
    """`pattern` as a substring, except that a number at either end matches a whole number only."""
    regex = re.escape(pattern)
    if pattern[0].isdigit():
        regex = r"(?<!\d)" + regex
    if pattern[-1].isdigit():
        regex += r"(?!\d)"
    return re.compile(regex)


def _name_overview(named: list[tuple[str, nn.Parameter]], layer_count: int) -> str:
    """The parameter names in brief: those outside the layers, and layer 0's with `<0-N>` for the index."""
    names = [n for n, _ in named]
    marker = re.compile(r"\.layers\.(\d+)\.")
    first = [n for n in names if marker.search(n) and marker.search(n).group(1) == "0"]
    outside = [n for n in names if not marker.search(n)]
    inside = [marker.sub(f".layers.<0-{layer_count - 1}>.", n, count=1) for n in first]
    listed = inside + outside
    return ", ".join(listed[:30]) + (f" and {len(listed) - 30} more" if len(listed) > 30 else "")
