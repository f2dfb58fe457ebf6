"""Load a Hugging Face causal LM and its tokenizer from a folder on disk (never from a hub)."""

import json
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase
from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

from ..errors import WorkerError
from ..events import emit
from .chat_template import CHATML_TEMPLATE
from .device import bf16_is_fast, training_dtype
from .quantization import check_qlora_available, four_bit_config


def saved_dtype(path: str) -> torch.dtype:
    """The dtype the folder's weights were saved in: config.json's `dtype` (`torch_dtype` before
    transformers 5); fp32 when it names none or cannot be read (load_model reports that)."""
    try:
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return torch.float32
    name = (config.get("dtype") or config.get("torch_dtype")) if isinstance(config, dict) else None
    dtype = getattr(torch, name, None) if isinstance(name, str) else None
    return dtype if isinstance(dtype, torch.dtype) and dtype.is_floating_point else torch.float32


def load_training_model(model: dict, tuning: str, device: str, trains_on_chats: bool = True) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The spec's model (`{path, chat_template}`) in the dtype `tuning` trains it in on `device`
    (4-bit for qlora). `trains_on_chats` False (raw text) only changes what a missing template's warning says."""
    dtype = training_dtype(device, saved_dtype(model["path"]), tuning, bf16_is_fast(device))
    return load_model(model["path"], model["chat_template"], dtype, tuning=tuning, trains_on_chats=trains_on_chats)


def load_model(
    path: str, chat_template: str | None, dtype: torch.dtype, tuning: str | None = None, trains_on_chats: bool = True
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Raise MODEL_PATH_INVALID when the folder cannot load, MODEL_UNSUPPORTED when it is no causal LM.

    `tuning` "qlora" loads the linear weights in 4-bit NF4 (components/quantization.py) onto the
    current CUDA GPU, computing in `dtype`; CUDA_UNAVAILABLE where that cannot run.
    """
    quantization = {}
    if tuning == "qlora":
        check_qlora_available("cuda" if torch.cuda.is_available() else "cpu")
        quantization = {"quantization_config": four_bit_config(dtype)}
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise WorkerError("MODEL_PATH_INVALID", f"{path} holds no config.json (is it a Hugging Face model folder?)")
    try:
        config = AutoConfig.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise WorkerError("MODEL_PATH_INVALID", f"Cannot read the model config in {path}: {exc}") from exc
    if config.model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        raise WorkerError("MODEL_UNSUPPORTED", f"{path} is a {config.model_type!r} model, which has no causal-LM class")
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=dtype, **quantization)
    except (OSError, ValueError) as exc:
        raise WorkerError("MODEL_PATH_INVALID", f"Cannot load the model in {path}: {exc}") from exc
    # The template is saved with the final weights, so inference formats chats as training did.
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    elif tokenizer.chat_template is None:
        tokenizer.chat_template = CHATML_TEMPLATE
        use = "training with ChatML" if trains_on_chats else "raw text trains without one; the result is saved with ChatML for chats"
        emit("log", level="warning", message=f"{path} has no chat template; {use}")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token  # padding is masked out, so any token will do
    return model, tokenizer
