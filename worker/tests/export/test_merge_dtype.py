"""Merged and GGUF exports of a bf16 model stay in bf16: no fp32 copy in memory, no double-size folder."""

from pathlib import Path

import gguf
import numpy as np
import pytest
import torch
from peft import PeftModel
from safetensors import safe_open
from transformers import AutoModelForCausalLM, AutoTokenizer

from test_export import export_spec, make_random_adapter
from whet_worker.export.gguf_writer import _permute


@pytest.fixture(scope="module")
def bf16_adapter(tiny_bf16_model, tmp_path_factory) -> Path:
    """A LoRA adapter with random non-zero A and B on every linear layer of the bf16 model."""
    return make_random_adapter(tiny_bf16_model, tmp_path_factory.mktemp("bf16-adapter"))


def reference_model(base: Path, adapter: Path):
    """Base + adapter unmerged, in fp32 (the bf16 weights upcast exactly): what a merge should compute."""
    return PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32), adapter)


def test_a_bf16_model_merges_into_a_bf16_folder_matching_base_plus_adapter(tiny_bf16_model, bf16_adapter, run_worker, tmp_path):
    out = tmp_path / "merged"
    run = run_worker(export_spec(tiny_bf16_model, bf16_adapter, "merged", out), command="export")
    assert run.returncode == 0, run.stderr[-3000:]

    with safe_open(out / "model.safetensors", "pt") as f:
        dtypes = {f.get_slice(name).get_dtype() for name in f.keys()}
    assert dtypes == {"BF16"}
    assert AutoModelForCausalLM.from_pretrained(out).config.dtype == torch.bfloat16
    base_size = (tiny_bf16_model / "model.safetensors").stat().st_size
    assert (out / "model.safetensors").stat().st_size == pytest.approx(base_size, rel=0.02)  # not twice the base

    tokenizer = AutoTokenizer.from_pretrained(out)
    ids = tokenizer.apply_chat_template([{"role": "user", "content": "What color is the sky?"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)["input_ids"]
    reference = reference_model(tiny_bf16_model, bf16_adapter)
    with torch.no_grad():
        expected = reference(ids).logits
        with reference.disable_adapter():
            base_logits = reference(ids).logits
        merged = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)(ids).logits
    # The merged weights are W + B·A·scale rounded to bf16 (8-bit mantissa): within 2% of the logit scale.
    tolerance = 2e-2 * expected.abs().max()
    assert (merged - expected).abs().max() < tolerance
    assert (expected - base_logits).abs().max() > 5 * tolerance  # the adapter changes the model


def test_a_bf16_model_exports_to_gguf(tiny_bf16_model, bf16_adapter, run_worker, tmp_path):
    out = tmp_path / "model-f16.gguf"
    run = run_worker(export_spec(tiny_bf16_model, bf16_adapter, "gguf", out, "f16"), command="export")
    assert run.returncode == 0, run.stderr[-3000:]
    tensors = {t.name: t for t in gguf.GGUFReader(out).tensors}
    assert tensors["blk.0.attn_norm.weight"].tensor_type.name == "F32"
    q = tensors["blk.0.attn_q.weight"]
    assert q.tensor_type.name == "F16"
    merged = reference_model(tiny_bf16_model, bf16_adapter).merge_and_unload()
    expected = _permute(merged.model.layers[0].self_attn.q_proj.weight.detach().numpy(), 4)
    got = np.asarray(q.data, dtype=np.float32).reshape(expected.shape)
    assert np.abs(got - expected).max() < 1e-2 * np.abs(expected).max()  # bf16 merge, f16 storage
