"""`python -m whet_worker export`: peft copy, merged folder equal to base + adapter, GGUF files."""

import json
from pathlib import Path

import gguf
import numpy as np
import pytest
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

from whet_worker.export.gguf_writer import _permute


def make_random_adapter(model_dir: Path, out: Path) -> Path:
    """A LoRA adapter with random non-zero A and B on every linear layer of `model_dir`: merging it must matter."""
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    config = LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False, task_type="CAUSAL_LM")
    torch.manual_seed(3)
    peft_model = get_peft_model(model, config)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.05)
    peft_model.save_pretrained(out)
    AutoTokenizer.from_pretrained(model_dir).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def random_adapter(tiny_model, tmp_path_factory) -> Path:
    return make_random_adapter(tiny_model, tmp_path_factory.mktemp("adapter"))


def export_spec(tiny_model, adapter, fmt, out, quantization=None) -> dict:
    return {
        "version": 1,
        "command": "export",
        "model": {"path": str(tiny_model)},
        "adapter": str(adapter) if adapter else None,
        "format": fmt,
        "quantization": quantization,
        "output_path": str(out),
    }


def test_merged_logits_equal_base_plus_adapter(tiny_model, random_adapter, run_worker, tmp_path):
    out = tmp_path / "merged"
    run = run_worker(export_spec(tiny_model, random_adapter, "merged", out), command="export")
    assert run.returncode == 0, run.stderr[-3000:]
    exported = run.one("exported")
    assert exported["format"] == "merged" and exported["size_bytes"] > 0
    for name in ("model.safetensors", "config.json", "tokenizer.json", "chat_template.jinja", "generation_config.json"):
        assert (out / name).is_file(), name
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert GenerationConfig.from_pretrained(out).eos_token_id == tokenizer.eos_token_id == tokenizer.convert_tokens_to_ids("<|im_end|>")

    ids = tokenizer.apply_chat_template([{"role": "user", "content": "What color is the sky?"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)["input_ids"]
    base = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    with torch.no_grad():
        base_logits = base(ids).logits
        adapted_logits = PeftModel.from_pretrained(base, random_adapter)(ids).logits
        merged_logits = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)(ids).logits
    assert (adapted_logits - base_logits).abs().max() > 1e-2  # the adapter changes the model
    torch.testing.assert_close(merged_logits, adapted_logits, atol=1e-5, rtol=1e-5)


def test_peft_export_loads_unchanged_in_peft(tiny_model, random_adapter, run_worker, tmp_path):
    out = tmp_path / "peft"
    run = run_worker(export_spec(tiny_model, random_adapter, "peft", out), command="export")
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads((out / "adapter_config.json").read_text()) == json.loads((random_adapter / "adapter_config.json").read_text())
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), out)
    assert model.peft_config["default"].r == 4


@pytest.mark.parametrize("quantization,tensor_type", [("f16", "F16"), ("q8_0", "Q8_0"), ("q4_0", "Q4_0")])
def test_gguf_holds_weights_tokenizer_and_template(tiny_model, random_adapter, run_worker, tmp_path, quantization, tensor_type):
    out = tmp_path / f"model-{quantization}.gguf"
    run = run_worker(export_spec(tiny_model, random_adapter, "gguf", out, quantization), command="export")
    assert run.returncode == 0, run.stderr[-3000:]
    assert not out.with_name(out.name + ".partial").exists()
    reader = gguf.GGUFReader(out)
    field = lambda key: reader.fields[key].contents()  # noqa: E731
    assert field("general.architecture") == "llama"
    assert field("llama.block_count") == 4 and field("llama.attention.head_count_kv") == 2
    assert field("tokenizer.ggml.model") == "gpt2" and field("tokenizer.ggml.pre") == "gpt-2"
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    assert field("tokenizer.ggml.tokens")[tokenizer.eos_token_id] == "<|im_end|>"
    assert field("tokenizer.ggml.eos_token_id") == tokenizer.eos_token_id
    assert field("tokenizer.ggml.add_bos_token") is False
    assert "<|im_start|>" in field("tokenizer.chat_template")
    tensors = {t.name: t for t in reader.tensors}
    assert "output.weight" not in tensors  # tied head: llama.cpp reuses token_embd
    assert tensors["blk.0.attn_norm.weight"].tensor_type.name == "F32"
    assert tensors["blk.0.ffn_down.weight"].tensor_type.name == tensor_type

    # The merged weights, permuted for llama.cpp's rope, come back within the type's precision.
    merged = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), random_adapter).merge_and_unload()
    expected = _permute(merged.model.layers[0].self_attn.q_proj.weight.detach().numpy(), 4)
    q = tensors["blk.0.attn_q.weight"]
    got = gguf.quants.dequantize(q.data, q.tensor_type).reshape(expected.shape)
    tolerance = {"f16": 1e-3, "q8_0": 0.02, "q4_0": 0.2}[quantization] * np.abs(expected).max()
    assert np.abs(got - expected).max() < tolerance


def test_bad_combinations_are_refused_before_loading(tiny_model, random_adapter, run_worker, tmp_path):
    run = run_worker(export_spec(tiny_model, None, "peft", tmp_path / "x"), command="export")
    assert run.returncode == 1 and run.one("error")["code"] == "INVALID_REQUEST"
    run = run_worker(export_spec(tiny_model, random_adapter, "merged", tmp_path / "x", "q8_0"), command="export")
    assert run.returncode == 1 and run.one("error")["code"] == "INVALID_REQUEST"
    run = run_worker(export_spec(tiny_model, tmp_path, "merged", tmp_path / "x"), command="export")
    assert run.returncode == 1 and run.one("error")["code"] == "ADAPTER_INVALID"
    run = run_worker({**export_spec(tiny_model, None, "gguf", tmp_path / "x.gguf"), "quantization": "q2_k"}, command="export")
    assert run.returncode == 2 and run.one("error")["code"] == "WORKER_SPEC_INVALID"
