"""Choose which parameters train, and how (spec.tuning).

Adapters (kind "adapter": the result is a PEFT adapter folder, the base is frozen):
- `lora`: low-rank matrices B·A beside the linear layers (lora_target), scaled by alpha/r. The
  cheapest way to train: a few MB of weights, the base may stay in half precision on CUDA.
  Runs our fused LoRA forward (fused_lora.py) and the cheap CPU dropout (fast_dropout.py).
- `dora`: LoRA with weight decomposition (PEFT use_dora): each adapted weight is a trained
  magnitude vector times the direction of W + B·A. Closer to full fine-tuning at the same rank,
  at some extra compute per step (the weight norm). DoRA layers run PEFT's own forward: the
  fused path leaves every layer with a LoRA variant to PEFT (fused_lora.py). Merges like LoRA.
- `qlora`: LoRA on a base loaded in 4-bit NF4 (bitsandbytes, CUDA only): a 7B base in about
  5 GB, so it trains on one consumer GPU. The base is quantized as it loads
  (model_loader.load_model, quantization.py); here PEFT's prepare_model_for_kbit_training
  (frozen base, norms in fp32, input gradients for checkpointing), then LoRA.
- `ptuning`: P-tuning: num_virtual_tokens virtual token embeddings, produced by a small trained
  prompt encoder (an MLP over learned inputs), put before every sequence's embeddings. The
  model itself is untouched; the adapter is tiny and cannot be merged into weights. Checkpoints
  also keep the encoder's own weights, which PEFT does not save (ptuning_state.py): without
  them a resume or a best-checkpoint restore would run the MLP twice.
- `prefix`: prefix tuning: trained keys and values for num_virtual_tokens virtual positions in
  every attention layer (a KV cache prefix). Untouched model, tiny adapter, no merge.
  Prompt learning changes the sequence the model sees, so its loss is SFTTrainer's own
  through PEFT's forward (target_token_loss.supports_target_token_loss is False for it), and
  prefix tuning turns activation checkpointing off (see _keep_prefix_cache).
- use_rslora (lora, dora, qlora): rank-stabilised scaling alpha/sqrt(r) instead of alpha/r,
  so a high rank does not shrink the update.

Whole weights (kind "full": the result is a model folder):
- `full`: every weight trains.
- `freeze`: the last freeze_trainable_layers decoder layers (+ final norm), or exactly the
  layers / modules freeze_layers names (freeze.py).
"""

from dataclasses import dataclass
from typing import Any

from peft import LoraConfig, PrefixTuningConfig, PromptEncoderConfig, get_peft_model, prepare_model_for_kbit_training
from torch import nn
from transformers import PreTrainedModel

from ..errors import WorkerError
from ..events import emit
from .fast_dropout import use_fast_lora_dropout
from .freeze import apply_freeze
from .fused_lora import use_fused_lora
from .ptuning_state import keep_prompt_encoder_state
from .quantization import parameter_count

LORA_TUNINGS = ("lora", "dora", "qlora")
PROMPT_TUNINGS = ("ptuning", "prefix")
DEFAULT_VIRTUAL_TOKENS = 20


@dataclass(frozen=True)
class Tuned:
    model: nn.Module
    kind: str  # "adapter" (saved as a PEFT adapter) | "full" (saved as whole weights)
    trainable_params: int
    total_params: int


def apply_tuning(model: PreTrainedModel, tuning: str, hp: dict[str, Any]) -> Tuned:
    if tuning in LORA_TUNINGS:
        model = with_lora(model, tuning, hp)
        kind = "adapter"
    elif tuning in PROMPT_TUNINGS:
        model = with_prompt_learning(model, tuning, hp)
        kind = "adapter"
    elif tuning == "full":
        model.requires_grad_(True)
        kind = "full"
    elif tuning == "freeze":
        apply_freeze(model, hp)
        kind = "full"
    else:
        raise WorkerError("INVALID_REQUEST", f"Unknown tuning {tuning!r}")
    # parameters() yields a tied weight once, so tied embeddings are not counted twice.
    params = list(model.parameters())
    trainable = sum(parameter_count(p) for p in params if p.requires_grad)
    return Tuned(model, kind, trainable, sum(parameter_count(p) for p in params))


def with_lora(model: PreTrainedModel, tuning: str, hp: dict[str, Any]) -> nn.Module:
    if tuning == "qlora":
        # Freezes the base, casts its norms to fp32, and turns on non-reentrant activation
        # checkpointing (no input-gradient hook needed), as the trainer does on CUDA anyway.
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=True, gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(model, lora_config(hp, dora=tuning == "dora"))
    use_fast_lora_dropout(model)  # also for the layers PEFT's own forward runs (DoRA, ...)
    use_fused_lora(model)  # plain lora.Linear only; DoRA layers fall back to PEFT, 4-bit layers are another class
    return model


def lora_config(hp: dict[str, Any], dora: bool = False) -> LoraConfig:
    return LoraConfig(
        r=hp["lora_r"],
        lora_alpha=hp["lora_alpha"],
        lora_dropout=hp["lora_dropout"],
        target_modules=hp["lora_target"],  # "all-linear" or module names; PEFT takes both
        use_dora=dora,
        use_rslora=bool(hp.get("use_rslora", False)),
        task_type="CAUSAL_LM",
    )


def with_prompt_learning(model: PreTrainedModel, tuning: str, hp: dict[str, Any]) -> nn.Module:
    virtual = hp.get("num_virtual_tokens") or DEFAULT_VIRTUAL_TOKENS
    if tuning == "ptuning":
        hidden = model.config.get_text_config().hidden_size
        config = PromptEncoderConfig(task_type="CAUSAL_LM", num_virtual_tokens=virtual, encoder_hidden_size=hidden)
    else:
        config = PrefixTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=virtual)
    model = get_peft_model(model, config)
    if tuning == "ptuning":
        keep_prompt_encoder_state(model)  # PEFT saves the encoder's output only; a resume needs its weights
    else:
        _keep_prefix_cache(model)
    return model


def _keep_prefix_cache(model: nn.Module) -> None:
    """Make the trainer's activation checkpointing (on CUDA) a no-op for prefix tuning.

    The prefix reaches the model as a KV cache, and transformers' checkpointed layers drop the
    cache while training (they would write it twice on the backward replay): the prefix would
    silently do nothing and nothing would learn. The cost is activation memory, as for LoRA
    without checkpointing; on an out-of-memory error the trainer halves the batch
    (auto_find_batch_size, CUDA).
    """

    def keep_cache(*args, **kwargs) -> None:
        emit("log", level="info", message="prefix tuning: activation checkpointing stays off (checkpointed layers would drop the prefix)")

    model.activation_checkpointing_enable = keep_cache
    model.gradient_checkpointing_enable = keep_cache
