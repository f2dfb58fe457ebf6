"""Which dtype training loads a model folder in: its own half precision for frozen bases (LoRA, DoRA,
ptuning, prefix) on CUDA, bf16 for them on a CPU with AMX, fp32 otherwise; QLoRA only on CUDA."""

import json
from pathlib import Path

import pytest
import torch

from whet_worker.components.device import cpu_has_amx_bf16, training_dtype
from whet_worker.components.model_loader import saved_dtype
from whet_worker.errors import WorkerError

BF16, FP16, FP32 = torch.bfloat16, torch.float16, torch.float32


@pytest.mark.parametrize(
    "device,saved,tuning,bf16_supported,expected",
    [
        ("cuda", BF16, "lora", True, BF16),  # a 7B bf16 base: 14 GB, not 28
        ("cuda", FP16, "lora", True, FP16),
        ("cuda", FP32, "lora", True, FP32),
        ("cuda", BF16, "lora", False, FP32),  # no bf16 on this GPU, and bf16 -> fp16 may overflow
        ("cuda", BF16, "full", True, FP32),  # trained weights keep fp32 for the optimizer's updates
        ("cuda", BF16, "freeze", True, FP32),
        ("cuda", BF16, "dora", True, BF16),  # frozen bases, like LoRA: what trains stays fp32 in PEFT
        ("cuda", FP16, "ptuning", True, FP16),
        ("cuda", BF16, "prefix", False, FP32),
        ("cpu", BF16, "lora", True, BF16),  # a CPU with AMX: bf16 matmuls ~4x fp32's
        ("cpu", FP32, "lora", True, BF16),  # rounded once, as CUDA autocast rounds for every matmul
        ("cpu", BF16, "dora", True, BF16),
        ("cpu", FP32, "prefix", True, BF16),
        ("cpu", BF16, "full", True, FP32),  # trained weights keep fp32
        ("cpu", BF16, "freeze", True, FP32),
        ("cpu", BF16, "lora", False, FP32),  # no AMX: bf16 matmuls are emulated and slower
        ("cpu", FP16, "lora", False, FP32),
    ],
)
def test_training_dtype(device, saved, tuning, bf16_supported, expected):
    assert training_dtype(device, saved, tuning, bf16_supported) == expected


def test_qlora_has_no_dtype_without_cuda():
    with pytest.raises(WorkerError) as error:
        training_dtype("cpu", BF16, "qlora", False)
    assert error.value.code == "CUDA_UNAVAILABLE" and "bitsandbytes" in error.value.message


def test_saved_dtype_reads_the_folders_config(tiny_model, tiny_bf16_model, tmp_path):
    assert saved_dtype(str(tiny_bf16_model)) == BF16
    assert saved_dtype(str(tiny_model)) == FP32
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama", "torch_dtype": "float16"}))  # before transformers 5
    assert saved_dtype(str(tmp_path)) == FP16
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}))
    assert saved_dtype(str(tmp_path)) == FP32
    assert saved_dtype(str(tmp_path / "missing")) == FP32


def test_a_bf16_folder_trains_on_the_cpu(make_spec, run_worker, tiny_bf16_model):
    run = run_worker(make_spec({"model": {"path": str(tiny_bf16_model), "chat_template": None}}, max_steps=2))
    assert run.returncode == 0, run.stderr[-3000:]
    losses = [e["loss"] for e in run.of("progress")]
    assert len(losses) == 2 and all(0 < loss < 20 for loss in losses)


def _plan_dtype(run) -> tuple[str, str]:
    plan = run.of("plan")[0]
    return plan["dtype"], plan["dtype_reason"]


def test_lora_on_a_cpu_with_amx_computes_the_base_in_bf16_and_keeps_the_adapter_fp32(make_spec, run_worker, tiny_model):
    """The fp32 tiny model: bf16 where this CPU has AMX (the job's resolved dtype says so), else fp32;
    either way the adapter trains and is saved in fp32."""
    from safetensors import safe_open

    spec = make_spec({"model": {"path": str(tiny_model), "chat_template": None}}, max_steps=2)
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]
    dtype, reason = _plan_dtype(run)
    if cpu_has_amx_bf16():
        assert dtype == "bfloat16" and "(AMX)" in reason
    else:  # an AMD EPYC or an older Intel: the reason names the missing AMX
        assert (dtype, reason) == ("float32", "fp32 on this CPU: it has no AMX, bf16 would be slower")
    losses = [e["loss"] for e in run.of("progress")]
    assert len(losses) == 2 and all(0 < loss < 20 for loss in losses)
    adapter = next(Path(spec["output_dir"]).rglob("adapter_model.safetensors"))
    with safe_open(str(adapter), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {FP32}


def test_whet_cpu_bf16_0_keeps_lora_in_fp32(make_spec, run_worker, tiny_model, monkeypatch):
    monkeypatch.setenv("WHET_CPU_BF16", "0")
    run = run_worker(make_spec({"model": {"path": str(tiny_model), "chat_template": None}}, max_steps=1))
    assert run.returncode == 0, run.stderr[-3000:]
    assert _plan_dtype(run) == ("float32", "fp32: WHET_CPU_BF16=0 turns bf16 off")


def test_full_tuning_stays_fp32_on_the_cpu(make_spec, run_worker, tiny_model):
    run = run_worker(make_spec({"model": {"path": str(tiny_model), "chat_template": None}, "tuning": "full"}, max_steps=1))
    assert run.returncode == 0, run.stderr[-3000:]
    assert _plan_dtype(run) == ("float32", "fp32 on the CPU: the trained weights need fp32 for the optimizer's small updates")
