"""Pick the device and the torch thread count from the spec."""

import functools
import os

import torch

from ..errors import WorkerError
from .distributed import this_rank
from .quantization import check_qlora_available


def resolve_device(requested: str) -> str:
    """`auto` takes CUDA when present; `cuda` without it is an error, never a silent CPU run.

    Several processes on CUDA: each drives the GPU of its local rank (nccl needs one device a rank).
    """
    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        raise WorkerError("CUDA_UNAVAILABLE", "The spec asks for device \"cuda\", but torch sees no CUDA GPU on this machine.")
    device = "cuda" if requested in ("cuda", "auto") and available else "cpu"
    rank = this_rank()
    if device == "cuda" and rank.distributed:
        if rank.local_rank >= torch.cuda.device_count():
            raise WorkerError(
                "CUDA_UNAVAILABLE",
                f"rank {rank.rank} is local rank {rank.local_rank}, but torch sees {torch.cuda.device_count()} GPUs on this node",
                "Use processes_per_node at most the GPUs of each node (one process a GPU).",
            )
        torch.cuda.set_device(rank.local_rank)
    return device


def inference_dtype(requested: str, device: str) -> torch.dtype:
    """`auto`: bf16 on a CUDA GPU that has it, else fp16 there; fp32 on the CPU (bf16 is slower here)."""
    if requested != "auto":
        return getattr(torch, requested)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


# Tunings whose base weights stay frozen: the base may load in its own half precision on CUDA.
FROZEN_BASE_TUNINGS = ("lora", "dora", "ptuning", "prefix")


def training_dtype(device: str, saved: torch.dtype, tuning: str, bf16_supported: bool) -> torch.dtype:
    """The dtype training loads the weights in; `saved` is the folder's own (model_loader.saved_dtype).

    CUDA + LoRA or DoRA: the folder's half precision, so a 7B bf16 model takes 14 GB rather than
    28. The base is frozen; PEFT keeps the adapters (and DoRA's magnitude vectors) in fp32 and
    the trainer's autocast runs the matmuls. A bf16 folder on a GPU without bf16 loads in fp32
    (bf16 -> fp16 could overflow).
    CUDA + ptuning or prefix: the same, for the same reason: the base is frozen and only passes
    activations and gradients, as under LoRA. What trains (the prompt encoder, the prefix) is
    built by PEFT in fp32 and stays there, for the optimizer; PEFT casts its output (virtual
    token embeddings, prefix keys/values) to the base's dtype.
    CUDA + QLoRA: the 4-bit weights compute in bf16 (fp16 on a GPU without bf16); this is the
    dtype of the layers left unquantized and of bitsandbytes' matmuls. QLoRA anywhere but on a
    CUDA GPU with bitsandbytes raises CUDA_UNAVAILABLE here, before any weight loads.
    CUDA + full or freeze tuning: fp32, since trained weights need fp32 for the optimizer's small
    updates (bf16 keeps 8 bits of mantissa and drops them); autocast still computes in bf16.
    CPU + a frozen base, on a CPU that multiplies bf16 in hardware (`bf16_supported`: Intel AMX,
    cpu_has_amx_bf16): bf16 whatever the folder holds. Those matmuls are ~4x fp32's there, and a
    LoRA step of SmolLM2-135M 1.2-1.4x faster (benchmarks/train-speed); an fp32 folder's weights are
    rounded once, as CUDA autocast rounds them for every matmul. The adapters stay fp32 and
    FusedLoraLinear computes them in bf16 (mixed precision); losses are taken in fp32.
    CPU otherwise: fp32 whatever the folder holds: elsewhere bf16 matmuls are emulated and slower.
    """
    if tuning == "qlora":
        check_qlora_available(device)
        return torch.bfloat16 if bf16_supported else torch.float16
    if device != "cuda":
        return torch.bfloat16 if bf16_supported and tuning in FROZEN_BASE_TUNINGS else torch.float32
    if tuning not in FROZEN_BASE_TUNINGS:
        return torch.float32
    if saved == torch.bfloat16:
        return torch.bfloat16 if bf16_supported else torch.float32
    return torch.float16 if saved == torch.float16 else torch.float32


def dtype_reason(device: str, dtype: torch.dtype, tuning: str) -> str:
    """Why training_dtype chose `dtype`, in a user's words (the job's resolved `dtype`)."""
    frozen = tuning in FROZEN_BASE_TUNINGS or tuning == "qlora"
    if device == "cpu":
        if dtype == torch.bfloat16:
            return "this CPU multiplies bf16 in hardware (AMX): the frozen base computes in bf16, the adapter trains in fp32 (WHET_CPU_BF16=0 keeps fp32)"
        if frozen and cpu_bf16_turned_off():
            return "fp32: WHET_CPU_BF16=0 turns bf16 off"
        if frozen:
            return "fp32 on this CPU: it has no AMX, bf16 would be slower"
        return "fp32 on the CPU: the trained weights need fp32 for the optimizer's small updates"
    if tuning == "qlora":
        return f"QLoRA: 4-bit weights that compute in {str(dtype).removeprefix('torch.')}"
    if frozen and dtype != torch.float32:
        return "the model folder's own half precision: the base is frozen, what trains stays fp32"
    return "fp32 weights, bf16 autocast where the GPU has it" if torch.cuda.is_bf16_supported() else "fp32 weights (this GPU has no bf16)"


def bf16_is_fast(device: str) -> bool:
    """Whether `device` computes in bf16 at least as fast as in fp32: a CUDA GPU with bf16, or a
    CPU with AMX (cpu_has_amx_bf16)."""
    return torch.cuda.is_bf16_supported() if device == "cuda" else cpu_has_amx_bf16()


def cpu_bf16_turned_off() -> bool:
    """WHET_CPU_BF16=0: fp32 training on a CPU with AMX too."""
    return os.environ.get("WHET_CPU_BF16") == "0"


@functools.cache
def cpu_has_amx_bf16() -> bool:
    """Whether this CPU has Intel AMX for bf16 (Sapphire Rapids and later) and the kernel lets this
    process use its tiles (torch asks for them; Linux must grant the permission). WHET_CPU_BF16=0
    turns bf16 off on such a CPU."""
    if cpu_bf16_turned_off():
        return False
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            flags = next((line for line in info if line.startswith("flags")), "").split()
    except OSError:
        return False
    if "amx_bf16" not in flags or "amx_tile" not in flags:
        return False
    init_amx = getattr(torch._C._cpu, "_init_amx", None)  # the arch_prctl permission request
    return bool(init_amx()) if init_amx else True


def set_threads(threads: int | None) -> int:
    """Use the physical cores by default: hyper-threads slow torch's CPU kernels down.

    Several processes on one node share its cores: each takes its part (at least one).
    """
    count = threads or max(1, _physical_cores() // this_rank().local_world_size)
    torch.set_num_threads(count)
    return count


def _physical_cores() -> int:
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except ImportError:
        return os.cpu_count() or 1
