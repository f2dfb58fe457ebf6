"""The pre-training recipe: packing raw text, and the real worker process training the tiny model on it."""

import io
import json
import math
import shutil
import signal
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from test_sft import progress_losses, read_rest, read_until
from whet_worker import events
from whet_worker.components.conversations import hold_out
from whet_worker.components.model_loader import load_training_model
from whet_worker.components.pretrain_data import build_pretrain_data, document_token_ids, pack_blocks

ANIMALS = [("cat", "猫"), ("dog", "狗"), ("bird", "鸟"), ("fish", "鱼"), ("horse", "马")]
COLORS = [("red", "红"), ("blue", "蓝"), ("green", "绿"), ("white", "白")]


def sentence(i: int) -> str:
    """One short document of a fixed pattern, in English and Chinese: a tiny model learns it in a few dozen steps."""
    (animal, animal_zh), (color, color_zh) = ANIMALS[i % len(ANIMALS)], COLORS[i % len(COLORS)]
    return f"The {animal} in house {i % 12} is {color}. 第{i % 12}号房子里的{animal_zh}是{color_zh}色的。"


def write_texts(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return path


def pretrain_spec(make_spec, tmp_path: Path, documents: int = 300, validation_split: float = 0.1, spec_overrides: dict | None = None, **hp) -> dict:
    """300 documents (~11k tokens, 176 blocks of 64) with 10% held out, unless told otherwise."""
    train = write_texts(tmp_path / "text.jsonl", [sentence(i) for i in range(documents)])
    data = {"train": str(train), "validation": None, "validation_split": validation_split}
    return make_spec({"method": "pretrain", "data": data, **(spec_overrides or {})}, **hp)


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    return AutoTokenizer.from_pretrained(tiny_model)


# -- packing --------------------------------------------------------------------------------


def test_documents_are_packed_into_full_blocks_with_eos_between_them(tokenizer):
    texts = [sentence(i) for i in range(20)] + ["", "   "]  # empty documents add nothing, not even an EOS
    documents = document_token_ids(texts, tokenizer)
    eos = tokenizer.eos_token_id
    assert all(ids[-1] == eos and eos not in ids[:-1] for ids in documents[:20]) and documents[20:] == [[], []]
    stream = [token for ids in documents for token in ids]

    blocks = list(pack_blocks(documents, 16))
    assert blocks and all(len(block) == 16 for block in blocks)
    packed = [token for block in blocks for token in block]
    assert packed == stream[: len(packed)]  # every token in order, none lost ...
    assert len(stream) - len(packed) < 16  # ... but the last partial block
    assert packed.count(eos) == stream[: len(packed)].count(eos) >= 19  # documents stay apart
    assert tokenizer.decode(stream).split(tokenizer.eos_token)[:20] == texts[:20]


def test_text_shorter_than_one_block_is_kept_as_one_shorter_block(tokenizer):
    documents = document_token_ids(["A tiny text.", "Another one."], tokenizer)
    assert list(pack_blocks(documents, 512)) == [documents[0] + documents[1]]
    assert list(pack_blocks([], 512)) == []


def test_validation_split_holds_out_whole_documents(tokenizer, tmp_path):
    texts = [f"Document {i} says {sentence(i)}" for i in range(40)]
    data = {"train": str(write_texts(tmp_path / "text.jsonl", texts)), "validation": None, "validation_split": 0.1}
    built = build_pretrain_data(data, tokenizer, 8, seed=7, cache_dir=tmp_path / "cache")

    def text_of(split) -> str:
        return tokenizer.decode([token for block in split["input_ids"] for token in block])

    # The SFT rule on documents: ceil(40 * 0.1) of them, seeded, in file order.
    trained, held = hold_out(texts, 0.1, seed=7)
    assert len(held) == 4
    assert (tokenizer.eos_token.join(held) + tokenizer.eos_token).startswith(text_of(built.eval))
    assert (tokenizer.eos_token.join(trained) + tokenizer.eos_token).startswith(text_of(built.train))
    assert built.train_tokens == sum(len(ids) for ids in document_token_ids(trained, tokenizer))
    assert all(block == labels for block, labels in zip(built.train["input_ids"], built.train["labels"]))
    again = build_pretrain_data(data, tokenizer, 8, seed=7, cache_dir=tmp_path / "cache")  # from the cache: the same
    assert again.train["input_ids"] == built.train["input_ids"]


# -- the worker -----------------------------------------------------------------------------


def test_lora_pretraining_lowers_held_out_perplexity_and_reports_it(make_spec, run_worker, tmp_path):
    run = run_worker(pretrain_spec(make_spec, tmp_path, max_steps=60, eval_steps=20, learning_rate=1e-2))
    assert run.returncode == 0, run.stderr[-3000:]

    plan = run.of("plan")[0]
    assert (plan["train_samples"], plan["eval_samples"]) == (176, 19)  # blocks of 64 from 270 and 30 documents
    assert not [e for e in run.of("log") if e["level"] == "warning"]
    evals = run.of("eval")
    assert [e["step"] for e in evals] == [0, 20, 40, 60]  # step 0: before the first update
    for e in evals:
        assert e["perplexity"] == pytest.approx(math.exp(e["eval_loss"]))
    result = run.one("result")
    before, after = result["perplexity"]["before"], result["perplexity"]["after"]
    assert (before, after) == (evals[0]["perplexity"], evals[-1]["perplexity"])
    assert before > 500  # the random tiny model knows nothing of the text
    assert after < 0.5 * before, f"perplexity {before:.0f} -> {after:.0f}"  # 771 -> 304 measured
    # Every token of a packed block is real: 60 steps x 4 blocks x 64 tokens.
    assert run.of("progress")[-1]["tokens_seen"] == result["train_tokens"] == 60 * 4 * 64
    assert result["kind"] == "adapter" and result["steps"] == 60


def test_full_pretraining_saves_a_model_that_loads_and_generates(make_spec, run_worker, tmp_path):
    run = run_worker(pretrain_spec(make_spec, tmp_path, validation_split=0.0, spec_overrides={"tuning": "full"}, max_steps=3))
    assert run.returncode == 0, run.stderr[-3000:]
    result = run.one("result")
    assert result["kind"] == "full" and result["perplexity"] == {"before": None, "after": None}
    assert not run.of("eval")
    final = Path(result["output_path"])
    model = AutoModelForCausalLM.from_pretrained(final)
    tokenizer = AutoTokenizer.from_pretrained(final)
    prompt = tokenizer("The cat in house", return_tensors="pt")
    generated = model.generate(**prompt, max_new_tokens=5, do_sample=False)
    assert generated.shape[1] > prompt["input_ids"].shape[1]


def test_kill_9_then_resume_matches_an_uninterrupted_run(make_spec, run_worker, start_worker, tmp_path):
    # dropout: the RNG state must resume too; enough checkpoints kept that the first survives a fast run
    hp = dict(max_steps=16, save_steps=4, eval_steps=4, save_total_limit=10, lora_dropout=0.1, learning_rate=1e-2)
    uninterrupted = run_worker(pretrain_spec(make_spec, tmp_path, spec_overrides={"output_dir": str(tmp_path / "straight")}, **hp))
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-3000:]

    spec = pretrain_spec(make_spec, tmp_path, spec_overrides={"output_dir": str(tmp_path / "killed")}, **hp)
    process = start_worker(spec)
    checkpoint = read_until(process, lambda e: e["type"] == "checkpoint")[-1]
    process.kill()  # SIGKILL: no chance to save anything
    process.wait()
    assert checkpoint["step"] == 4

    resumed = run_worker({**spec, "resume_from_checkpoint": checkpoint["path"]})
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.one("started")["resumed_from_step"] == 4
    assert [e["step"] for e in resumed.of("eval")] == [8, 12, 16]  # no second step-0 evaluation
    expected, got = progress_losses(uninterrupted.events), progress_losses(resumed.events)
    assert sorted(got) == list(range(5, 17))
    for step, loss in got.items():
        assert loss == pytest.approx(expected[step], rel=1e-4), f"step {step}"
    straight, after_resume = uninterrupted.one("result"), resumed.one("result")
    assert after_resume["final_loss"] == pytest.approx(straight["final_loss"], rel=1e-4)
    assert after_resume["perplexity"]["before"] == pytest.approx(straight["perplexity"]["before"], rel=1e-6)  # from the checkpoint's history
    assert after_resume["perplexity"]["after"] == pytest.approx(straight["perplexity"]["after"], rel=1e-4)
    assert after_resume["train_tokens"] == straight["train_tokens"] == 16 * 4 * 64


def test_a_token_budget_counts_every_packed_token_and_keeps_the_best_checkpoint(make_spec, run_worker, tmp_path):
    spec = pretrain_spec(make_spec, tmp_path, epochs=1000, learning_rate=1e-2)  # the epochs never bind
    spec["budget"] = {"tokens": 20 * 4 * 64}
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]
    result = run.one("result")
    assert result["steps"] == 20 and result["train_tokens"] == 20 * 4 * 64
    # decayed all the way (the last of 20 steps runs one step short of the floor)
    assert run.of("progress")[-1]["learning_rate"] == pytest.approx(1e-2 * 0.1, rel=0.1)
    evals = run.of("eval")
    assert evals[0]["step"] == 0 and evals[-1]["step"] == 20 and len(evals) >= 3
    best = min(evals[1:], key=lambda e: e["eval_loss"])  # step 0 has no checkpoint to keep
    assert (result["best_step"], result["best_eval_loss"]) == (best["step"], pytest.approx(best["eval_loss"]))
    assert result["perplexity"] == {"before": evals[0]["perplexity"], "after": pytest.approx(best["perplexity"])}
    assert not Path(spec["output_dir"], "data-cache").exists()  # only a resume needs it


def test_sigterm_checkpoints_and_stops(make_spec, start_worker, tmp_path):
    process = start_worker(pretrain_spec(make_spec, tmp_path, max_steps=1000))
    read_until(process, lambda e: e["type"] == "progress" and e["step"] == 3)
    process.send_signal(signal.SIGTERM)
    code, after = read_rest(process)
    assert code == 0
    assert after[-1]["type"] == "stopped" and after[-2]["type"] == "checkpoint"
    assert after[-1]["checkpoint"] == after[-2]["path"] and after[-1]["step"] >= 3
    assert Path(after[-2]["path"], "trainer_state.json").is_file()


def test_too_little_text_warns_with_the_numbers_and_still_trains(make_spec, run_worker, tmp_path, tokenizer):
    run = run_worker(pretrain_spec(make_spec, tmp_path, documents=1, validation_split=0.0, max_steps=2))
    assert run.returncode == 0, run.stderr[-3000:]
    tokens = len(document_token_ids([sentence(0)], tokenizer)[0])
    warning = next(e for e in run.of("log") if e["level"] == "warning")
    assert f"Only {tokens} tokens of training text (less than one block of 64 tokens" in warning["message"]
    assert "question-answer pairs" in warning["message"] and "SFT" in warning["message"]
    assert run.of("plan")[0]["train_samples"] == 1  # one shorter block
    assert run.one("result")["steps"] == 2


def test_lines_without_text_are_dataset_invalid_with_their_line_numbers(make_spec, run_worker, tmp_path):
    spec = pretrain_spec(make_spec, tmp_path, documents=5)
    with open(spec["data"]["train"], "a", encoding="utf-8") as f:
        f.write('{"content": "no text field"}\nnot json\n{"text": 3}\n')
    run = run_worker(spec)
    assert run.returncode == 1
    error = run.one("error")
    assert error["code"] == "DATASET_INVALID"
    assert "3 bad lines: line 6: needs a string \"text\" field; line 7: not JSON" in error["message"]
    assert "line 8" in error["message"]


def test_a_model_without_a_chat_template_is_warned_about_in_terms_of_raw_text(tiny_model, tmp_path, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(events, "_out", out)
    bare = tmp_path / "bare"
    shutil.copytree(tiny_model, bare, ignore=shutil.ignore_patterns("chat_template.jinja"))
    load_training_model({"path": str(bare), "chat_template": None}, "lora", "cpu", trains_on_chats=False)
    load_training_model({"path": str(bare), "chat_template": None}, "lora", "cpu")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    warnings = [e["message"] for e in lines if e.get("level") == "warning"]
    assert warnings == [
        f"{bare} has no chat template; raw text trains without one; the result is saved with ChatML for chats",
        f"{bare} has no chat template; training with ChatML",
    ]
