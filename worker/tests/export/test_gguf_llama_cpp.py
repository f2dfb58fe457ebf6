"""GGUF exports load in llama.cpp (node-llama-cpp, as the gateway's llamacpp backend uses it) and
compute what the PyTorch model computes."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from conftest import REPO_ROOT

GREEDY = Path(__file__).with_name("gguf_greedy.mjs")
DEMO_MODEL = REPO_ROOT / ".cache" / "demo-model" / "SmolLM2-135M-Instruct"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (REPO_ROOT / "node_modules" / "node-llama-cpp").is_dir(),
    reason="node-llama-cpp is not installed (npm install in the repo root)",
)


def export_gguf(run_worker, model: Path, out: Path, quantization: str) -> Path:
    spec = {"version": 1, "command": "export", "model": {"path": str(model)}, "adapter": None, "format": "gguf", "quantization": quantization, "output_path": str(out)}
    run = run_worker(spec, command="export")
    assert run.returncode == 0, run.stderr[-3000:]
    return out


def llama_cpp_greedy(gguf_path: Path, text: str, n: int) -> dict:
    done = subprocess.run(["node", str(GREEDY), str(gguf_path), text, str(n)], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def chat_text(tokenizer, question: str) -> str:
    return tokenizer.apply_chat_template([{"role": "user", "content": question}], add_generation_prompt=True, tokenize=False)


@pytest.fixture
def sharp_tiny_model(tiny_model, tmp_path) -> Path:
    """The tiny model with q/k and the embeddings scaled up: the random model's attention is so flat
    that a wrong rope layout would go unnoticed, and its next-token distribution nearly uniform."""
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    with torch.no_grad():
        for layer in model.model.layers:
            layer.self_attn.q_proj.weight.mul_(6)
            layer.self_attn.k_proj.weight.mul_(6)
        model.model.embed_tokens.weight.mul_(4)
    out = tmp_path / "sharp-tiny"
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(out)
    return out


def test_tiny_model_gguf_tokenizes_and_predicts_like_torch(sharp_tiny_model, run_worker, tmp_path):
    gguf_path = export_gguf(run_worker, sharp_tiny_model, tmp_path / "tiny.gguf", "f16")
    tokenizer = AutoTokenizer.from_pretrained(sharp_tiny_model)
    text = chat_text(tokenizer, "What color is the sky? 天空是什么颜色？")
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    result = llama_cpp_greedy(gguf_path, text, 4)
    assert result["prompt_tokens"] == ids[0].tolist()  # same pre-tokenizer, merges and special tokens
    with torch.no_grad():
        probs = AutoModelForCausalLM.from_pretrained(sharp_tiny_model, dtype=torch.float32)(ids).logits[0, -1].softmax(-1)
    # Compare probabilities, not just the argmax: a wrong q/k permutation moves them far more
    # than f16 rounding does.
    assert result["first_top"][0][1] > 0.02  # sharp enough to tell
    for token, p in result["first_top"]:
        assert abs(probs[token].item() - p) < 0.02 * p, (token, probs[token].item(), p)


@pytest.mark.skipif(not (DEMO_MODEL / "config.json").is_file(), reason="demo model not converted (see DESIGN.md)")
def test_demo_model_gguf_f16_greedy_matches_torch(run_worker, tmp_path):
    gguf_path = export_gguf(run_worker, DEMO_MODEL, tmp_path / "demo-f16.gguf", "f16")
    tokenizer = AutoTokenizer.from_pretrained(DEMO_MODEL)
    model = AutoModelForCausalLM.from_pretrained(DEMO_MODEL, dtype=torch.float32)
    for question in ("What is the capital of France?", "Write a haiku about the sea."):
        text = chat_text(tokenizer, question)
        ids = tokenizer(text, return_tensors="pt")["input_ids"]
        expected = model.generate(ids, max_new_tokens=16, do_sample=False)[0, ids.shape[1] :].tolist()
        expected = expected[: expected.index(tokenizer.eos_token_id)] if tokenizer.eos_token_id in expected else expected
        result = llama_cpp_greedy(gguf_path, text, 16)
        assert result["prompt_tokens"] == ids[0].tolist()
        assert result["tokens"] == expected, (tokenizer.decode(expected), result["text"])  # llama.cpp stops at <|im_end|> too


@pytest.mark.skipif(not (DEMO_MODEL / "config.json").is_file(), reason="demo model not converted (see DESIGN.md)")
@pytest.mark.parametrize("quantization", ["q8_0", "q4_0"])
def test_demo_model_quantized_gguf_loads_and_answers(run_worker, tmp_path, quantization):
    gguf_path = export_gguf(run_worker, DEMO_MODEL, tmp_path / f"demo-{quantization}.gguf", quantization)
    assert gguf_path.stat().st_size < {"q8_0": 0.56, "q4_0": 0.36}[quantization] * 270_000_000  # vs f16's 270 MB
    tokenizer = AutoTokenizer.from_pretrained(DEMO_MODEL)
    # The first tokens agree with fp32; later ones may part (Q8_0 also rounds activations to 8 bits).
    result = llama_cpp_greedy(gguf_path, chat_text(tokenizer, "Write a haiku about the sea."), 4)
    assert tokenizer.decode(result["tokens"][:1]) == "The"
