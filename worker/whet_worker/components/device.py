"""Pick the device and the torch thread count from the spec."""

import os

import torch

from ..errors import WorkerError


def resolve_device(requested: str) -> str:
    """`auto` takes CUDA when present; `cuda` without it is an error, never a silent CPU run."""
    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        raise WorkerError("CUDA_UNAVAILABLE", "The spec asks for device \"cuda\", but torch sees no CUDA GPU on this machine.")
    return "cuda" if requested in ("cuda", "auto") and available else "cpu"


def inference_dtype(requested: str, device: str) -> torch.dtype:
    """`auto`: bf16 on a CUDA GPU that has it, else fp16 there; fp32 on the CPU (bf16 is slower here)."""
    if requested != "auto":
        return getattr(torch, requested)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def set_threads(threads: int | None) -> int:
    """Use the physical cores by default: hyper-threads slow torch's CPU kernels down."""
    count = threads or _physical_cores()
    torch.set_num_threads(count)
    return count


def _physical_cores() -> int:
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except ImportError:
        return os.cpu_count() or 1
