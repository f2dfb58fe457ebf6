"""QLoRA's 4-bit base: NF4 weights through bitsandbytes, on CUDA only.

bitsandbytes computes 4-bit matmuls with its own CUDA kernels, so QLoRA is refused up front,
before any weight loads, on the CPU or where the bitsandbytes package is missing; the hint
names what works on such a machine (LoRA or DoRA on the unquantized base).
"""

import importlib.util

import torch

from ..errors import WorkerError

_ALTERNATIVE = 'Use tuning "lora" or "dora" on this machine (the base loads unquantized), or run the job on a machine with an NVIDIA GPU and bitsandbytes.'


def check_qlora_available(device: str) -> None:
    """Raise CUDA_UNAVAILABLE unless this run is on a CUDA GPU with bitsandbytes installed."""
    if device != "cuda" or not torch.cuda.is_available():
        why = "torch sees no CUDA GPU on this machine" if not torch.cuda.is_available() else 'the spec asks for device "cpu"'
        raise WorkerError(
            "CUDA_UNAVAILABLE",
            f"QLoRA needs an NVIDIA GPU with bitsandbytes (its 4-bit NF4 base runs on bitsandbytes' CUDA kernels), but {why}.",
            _ALTERNATIVE,
        )
    if importlib.util.find_spec("bitsandbytes") is None:
        raise WorkerError(
            "CUDA_UNAVAILABLE",
            "QLoRA needs an NVIDIA GPU with bitsandbytes, and the bitsandbytes package is not installed in the worker's environment.",
            "Install it into the worker's .venv (pip install bitsandbytes), or " + _ALTERNATIVE[0].lower() + _ALTERNATIVE[1:],
        )


def four_bit_config(compute_dtype: torch.dtype):
    """NF4 with double quantization (the QLoRA paper's recipe); matmuls run in `compute_dtype`."""
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_compute_dtype=compute_dtype,
        bnb_4bit_use_double_quant=True,
    )


def parameter_count(param: torch.nn.Parameter) -> int:
    """How many weights a parameter holds: a packed 4-bit tensor stores two per byte (its quant_state has the shape)."""
    state = getattr(param, "quant_state", None)
    shape = getattr(state, "shape", None)
    return int(torch.Size(shape).numel()) if shape is not None else param.numel()
