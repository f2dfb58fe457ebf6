"""Adapters of the new tunings at inference: ptuning and prefix in the server (running batch) and
the generate recipe (batched, shared prefix), DoRA in the server (PEFT's mixed-adapter batch),
all answering exactly as PEFT's own forward (the training forward) does.

The adapters are trained here, in process, by the SFT recipe on the tiny model (whose greedy
answers to these chats have clear margins, > 1e-2, unlike the sharpened serve model, where
virtual tokens get no attention); the reference decodes greedily through PeftModel.forward on
the whole sequence each step (no cache), the path training computed its loss with.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

from conftest import HYPERPARAMETERS, write_toy_data
from serve_support import ServeClient, start_server
from whet_worker.graceful_stop import GracefulStop
from whet_worker.recipes.sft import SFTRecipe
from whet_worker.serve.incremental_detokenizer import IncrementalDetokenizer
from whet_worker.serve.prompt_ids import prompt_ids

QUESTIONS = ["What color is the sky?", "中国的首都是哪里？", "Name a primary color.", "What is two plus two?"]
VIRTUAL = 6


def chat(question: str) -> list[dict]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def prompt_adapters(tiny_model, tmp_path_factory) -> dict[str, str]:
    """pt (ptuning), px (prefix) and dr (dora) trained by the SFT recipe, and alpha, a random LoRA adapter to share batches with."""
    root = tmp_path_factory.mktemp("prompt-adapters")
    train = write_toy_data(root / "train.jsonl")
    adapters = {}
    for name, tuning in (("pt", "ptuning"), ("px", "prefix"), ("dr", "dora")):
        spec = {
            "version": 1, "command": "train", "job_id": name, "method": "sft", "tuning": tuning,
            "model": {"path": str(tiny_model), "chat_template": None},
            "data": {"train": str(train), "validation": None, "validation_split": 0.0},
            "output_dir": str(root / name), "resume_from_checkpoint": None,
            "hyperparameters": {**HYPERPARAMETERS, "epochs": 3, "learning_rate": 3e-2 if tuning != "dora" else 1e-2, "num_virtual_tokens": VIRTUAL},
            "device": "cpu", "threads": 1,
        }
        recipe = SFTRecipe(spec, GracefulStop())
        recipe.setup()
        recipe.train()
        recipe.save()
        adapters[name] = str(root / name / "final")
    torch.manual_seed(1)
    lora = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model), LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", init_lora_weights=False))
    with torch.no_grad():
        for param_name, param in lora.named_parameters():
            if "lora_B" in param_name:
                param.normal_(0, 0.3)
    lora.save_pretrained(root / "alpha")
    adapters["alpha"] = str(root / "alpha")
    return adapters


@pytest.fixture(scope="module")
def reference(tiny_model, prompt_adapters):
    """Greedy token ids through PEFT's forward on the whole sequence; adapter None = the plain base."""
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    models = {None: AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()}
    for name in ("pt", "px", "dr"):
        models[name] = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32), prompt_adapters[name]).eval()

    def answer(adapter: str | None, question: str, max_tokens: int) -> tuple[list[int], list[int]]:
        """(prompt ids, answer ids)."""
        ids = prompt_ids(tokenizer, {"messages": chat(question)})
        out = []
        with torch.no_grad():
            for _ in range(max_tokens):
                seq = torch.tensor([ids + out])
                token = int(models[adapter](input_ids=seq, attention_mask=torch.ones_like(seq)).logits[0, -1].argmax())
                if token == tokenizer.eos_token_id:
                    break
                out.append(token)
        return ids, out

    def server_text(adapter: str | None, question: str, max_tokens: int) -> str:
        """The text the server streams for those ids (it holds back a trailing partial character)."""
        prompt, answer_ids = answer(adapter, question, max_tokens)
        detokenizer = IncrementalDetokenizer(tokenizer, prompt)
        return "".join(detokenizer.push(t) for t in answer_ids)

    def recipe_text(adapter: str | None, question: str, max_tokens: int) -> str:
        return tokenizer.decode(answer(adapter, question, max_tokens)[1], skip_special_tokens=True)

    answer.server_text, answer.recipe_text = server_text, recipe_text
    return answer


@pytest.fixture(scope="module")
def server(tiny_model, prompt_adapters, tmp_path_factory):
    spec = {"version": 1, "command": "serve", "model": {"path": str(tiny_model), "chat_template": None}, "adapters": prompt_adapters, "device": "cpu", "threads": 1}
    process, ready = start_server(spec, tmp_path_factory.mktemp("serve-prompt") / "spec.json")
    yield ServeClient(ready["port"]), ready
    process.terminate()
    process.wait(timeout=30)


def test_the_server_answers_as_pefts_forward(server, reference):
    client, ready = server
    assert ready["adapters"] == ["alpha", "dr", "pt", "px"]
    answers = {}
    for adapter in (None, "pt", "px", "dr"):
        answers[adapter] = [client.text(messages=chat(q), adapter=adapter, max_tokens=10, temperature=0) for q in QUESTIONS]
        assert answers[adapter] == [reference.server_text(adapter, q, 10) for q in QUESTIONS], adapter
    assert all(answers[a] != answers[None] for a in ("pt", "px", "dr")), answers  # the adapters matter


def test_prompt_adapter_rows_share_the_running_batch(server):
    client, _ = server
    requests = [
        {"messages": chat(q), "adapter": adapter, "max_tokens": 6 + 3 * i, "temperature": 0}
        for i, (q, adapter) in enumerate(zip(QUESTIONS * 2, [None, "pt", "px", "alpha", "px", "dr", "pt", "dr"]))
    ]
    alone = [client.generate(**r) for r in requests]
    with ThreadPoolExecutor(len(requests)) as pool:
        together = list(pool.map(lambda r: client.generate(**r), requests))
    assert client.health()["peak_running"] >= 3
    assert together == alone


def test_a_prompt_adapter_loads_and_unloads_at_runtime(server, prompt_adapters):
    client, _ = server
    status, body = client.request("POST", "/adapters", {"name": "px2", "path": prompt_adapters["px"]})
    assert (status, body) == (200, {"adapters": ["alpha", "dr", "pt", "px", "px2"]})
    ask = lambda adapter: client.text(messages=chat(QUESTIONS[2]), adapter=adapter, max_tokens=8, temperature=0)  # noqa: E731
    assert ask("px2") == ask("px")
    assert client.request("DELETE", "/adapters/px2") == (200, {"adapters": ["alpha", "dr", "pt", "px"]})
    assert ask("px") != ask(None)


def test_the_virtual_tokens_count_against_the_context(server):
    client, _ = server
    prompt = "word " * 40
    tokens = client.request("POST", "/tokenize", {"prompt": prompt})[1]
    room = tokens["context_length"] - tokens["tokens"]  # fits the base exactly
    status, body = client.request("POST", "/generate", {"prompt": prompt, "adapter": "pt", "max_tokens": room, "stream": False})
    assert status == 400 and body["error"]["code"] == "CONTEXT_LENGTH_EXCEEDED", body
    assert f"{VIRTUAL} virtual tokens" in body["error"]["message"]


def _generate(run_worker, model, adapter, prompts: Path, out: Path, **overrides):
    spec = {
        "version": 1, "command": "generate", "model": {"path": str(model), "chat_template": None}, "adapter": adapter,
        "input_path": str(prompts), "output_path": str(out),
        "generation": {"max_tokens": 10, "temperature": 0, "top_p": 1, "top_k": 0, "repetition_penalty": 1.0, "seed": 0},
        "batch_size": 4, "device": "cpu", "threads": 1, **overrides,
    }
    done = run_worker(spec, "generate")
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in out.read_text().splitlines()], done


@pytest.mark.parametrize("adapter", ["pt", "px"])
def test_the_generate_recipe_answers_as_pefts_forward_in_batches(adapter, prompt_adapters, reference, tiny_model, run_worker, tmp_path):
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"messages": chat(q)}, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    lines, _ = _generate(run_worker, tiny_model, prompt_adapters[adapter], prompts, tmp_path / "out.jsonl")  # left-padded batch of 4
    assert [line["prediction"] for line in lines] == [reference.recipe_text(adapter, q, 10) for q in QUESTIONS]


def test_a_shared_few_shot_prefix_follows_the_virtual_tokens(prompt_adapters, tiny_model, run_worker, tmp_path):
    shots = [{"role": "user", "content": "What is one plus one?"}, {"role": "assistant", "content": "Two."},
             {"role": "user", "content": "What is the capital of Italy?"}, {"role": "assistant", "content": "Rome."}]
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"messages": chat(q)}, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    adapter = prompt_adapters["px"]
    # A repetition penalty makes the answers vary; it reads the ids, where the virtual positions must not count.
    greedy = {"max_tokens": 10, "temperature": 0, "top_p": 1, "top_k": 0, "repetition_penalty": 3.0, "seed": 0}
    cached, run = _generate(run_worker, tiny_model, adapter, prompts, tmp_path / "cached.jsonl", few_shot=shots, generation=greedy)
    assert any("share a prefix" in e["message"] for e in run.of("log"))
    plain, _ = _generate(run_worker, tiny_model, adapter, prompts, tmp_path / "plain.jsonl", few_shot=shots, generation=greedy, prefix_cache=False, batch_size=1)
    assert [line["prediction"] for line in cached] == [line["prediction"] for line in plain]
    assert len({line["prediction"] for line in cached}) > 1
