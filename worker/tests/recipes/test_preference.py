"""The preference recipes (dpo, orpo): reading pairs, and the real worker process training the tiny model on them."""

import json
import random
import signal
from pathlib import Path

import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from test_sft import progress_losses, read_rest, read_until
from whet_worker.components import preference_data
from whet_worker.components.preference_data import build_preference_data, read_preference_pairs
from whet_worker.errors import WorkerError
from whet_worker.graceful_stop import GracefulStop
from whet_worker.recipes.dpo import DPORecipe

# The rule: the chosen answer puts a GOOD word first and a BAD word last, the rejected one the other
# way round. Both hold the same tokens, so the untrained model has no reason to score either higher
# per token: what it learns is the order, which carries over to pairs it never saw.
GOOD = ["yes", "sure", "good", "great", "fine", "right"]
BAD = ["no", "never", "bad", "awful", "wrong", "poor"]
WORDS = ["Paris", "Tokyo", "blue", "four", "eight", "red", "water", "dog", "fox", "model", "answer", "day"]
QUESTIONS = ["What is {}?", "Tell me about {}.", "Name {}.", "Say {}.", "Describe {} briefly."]

PREFERENCE_HP = dict(epochs=3, learning_rate=5e-3, eval_steps=10, beta=0.5, loss_type="sigmoid", orpo_lambda=1.0)


def toy_pairs(count: int, seed: int, avoid: list[dict] = ()) -> list[dict]:
    rng, pairs, seen = random.Random(seed), [], {json.dumps(p) for p in avoid}
    while len(pairs) < count:
        good, bad, word = rng.choice(GOOD), rng.choice(BAD), rng.choice(WORDS)
        pair = {
            "messages": [{"role": "user", "content": rng.choice(QUESTIONS).format(rng.choice(WORDS))}],
            "chosen": {"role": "assistant", "content": f"{good} {word} {bad}"},
            "rejected": {"role": "assistant", "content": f"{bad} {word} {good}"},
        }
        if json.dumps(pair) not in seen:
            seen.add(json.dumps(pair))
            pairs.append(pair)
    return pairs


def write_pairs(path: Path, pairs: list) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for pair in pairs:
            f.write((pair if isinstance(pair, str) else json.dumps(pair, ensure_ascii=False)) + "\n")
    return path


def preference_spec(make_spec, tmp_path: Path, method: str, name: str, validation: bool = True, tuning: str = "lora", **hp) -> dict:
    """40 training pairs and, with `validation`, 24 distinct held-out ones following the same rule."""
    train = toy_pairs(40, seed=1)
    data = {"train": str(write_pairs(tmp_path / "pairs.jsonl", train)), "validation_split": 0.0, "validation": None}
    if validation:
        data["validation"] = str(write_pairs(tmp_path / "held-out.jsonl", toy_pairs(24, seed=2, avoid=train)))
    spec = {"method": method, "tuning": tuning, "data": data, "output_dir": str(tmp_path / name)}
    return make_spec(spec, **{**PREFERENCE_HP, **hp})


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    return AutoTokenizer.from_pretrained(tiny_model)


# -- data -------------------------------------------------------------------------------------


def test_bad_lines_are_named_by_number(make_spec, run_worker, tmp_path):
    good = toy_pairs(3, seed=1)
    lines = [
        good[0],
        "{not json",
        good[1],
        {"messages": [{"role": "user", "content": "Hi"}], "chosen": {"role": "assistant", "content": "Hello"}},
        {**good[2], "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]},
        {**good[2], "rejected": {"role": "user", "content": "rude"}},
    ]
    path = write_pairs(tmp_path / "bad.jsonl", lines)
    run = run_worker(make_spec({"method": "dpo", "data": {"train": str(path), "validation": None, "validation_split": 0.0}}))
    assert run.returncode == 1
    error = run.one("error")
    assert error["code"] == "DATASET_INVALID"
    message = error["message"]
    assert "4 bad lines" in message
    assert "line 2: not JSON" in message and "line 4: `rejected` must be an assistant turn" in message
    assert "line 5: the prompt must end with a user turn" in message and "line 6: `rejected`" in message
    assert "line 1" not in message and "line 3" not in message


def test_no_pairs_is_dataset_empty(tmp_path):
    with pytest.raises(WorkerError) as raised:
        read_preference_pairs(str(write_pairs(tmp_path / "blank.jsonl", ["", "  "])))
    assert raised.value.code == "DATASET_EMPTY"


def test_pairs_become_trl_rows_with_answers_after_the_rendered_prompt(tokenizer, tmp_path):
    pairs = toy_pairs(10, seed=1)
    pairs[0]["messages"] = [{"role": "system", "content": "Be kind."}, *pairs[0]["messages"]]
    data = {"train": str(write_pairs(tmp_path / "p.jsonl", pairs)), "validation": None, "validation_split": 0.2}
    built = build_preference_data(data, tokenizer, 64, seed=7)
    assert (len(built.train), len(built.eval)) == (8, 2)  # ceil(10 * 0.2) held out, as for conversations
    row = next(r for r in built.train if r["prompt"][0]["role"] == "system")
    assert row["prompt"] == pairs[0]["messages"] and row["chosen"] == [pairs[0]["chosen"]]
    assert tokenizer.decode(row["prompt_ids"]) == "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\n" + pairs[0][
        "messages"
    ][1]["content"] + "<|im_end|>\n<|im_start|>assistant\n"
    # the answer ends its turn with EOS, so the model learns to stop
    assert tokenizer.decode(row["chosen_ids"]) == pairs[0]["chosen"]["content"] + "<|im_end|>\n"
    assert tokenizer.decode(row["rejected_ids"]) == pairs[0]["rejected"]["content"] + "<|im_end|>\n"


def test_prompts_that_fill_max_seq_len_are_dropped_and_reported(tokenizer, tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(preference_data, "emit", lambda _type, **fields: logged.append(fields["message"]))
    pairs = toy_pairs(4, seed=1)
    pairs[1]["messages"][0]["content"] = "word " * 40
    data = {"train": str(write_pairs(tmp_path / "p.jsonl", pairs)), "validation": None, "validation_split": 0.0}
    built = build_preference_data(data, tokenizer, 24, seed=7)
    assert len(built.train) == 3
    assert any("dropped 1 of 4 training pairs: 1 have a prompt that fills max_seq_len=24" in m for m in logged), logged

    data["train"] = str(write_pairs(tmp_path / "long.jsonl", [pairs[1]]))
    with pytest.raises(WorkerError) as raised:
        build_preference_data(data, tokenizer, 24, seed=7)
    assert raised.value.code == "DATASET_EMPTY_AFTER_TRUNCATION" and "max_seq_len=24" in raised.value.message


# -- training ---------------------------------------------------------------------------------


def _accuracy_curve(run) -> dict[int, float]:
    return {e["step"]: e["preference"]["accuracy"] for e in run.of("eval")}


@pytest.mark.parametrize("method", ["dpo", "orpo"])
def test_held_out_preference_accuracy_rises_and_every_event_carries_it(method, make_spec, run_worker, tmp_path):
    run = run_worker(preference_spec(make_spec, tmp_path, method, method))
    assert run.returncode == 0, run.stderr[-3000:]
    curve = _accuracy_curve(run)
    assert sorted(curve) == [0, 10, 20, 30]
    # DPO starts with policy == reference, every pair a tie (TRL counts only chosen > rejected as right);
    # ORPO starts from the untrained model's own per-token preference, which the rule gives no edge
    assert curve[0] <= 0.6 and curve[30] >= 0.9, curve
    eval_at_end = run.of("eval")[-1]
    assert eval_at_end["preference"]["margin"] > 0 and eval_at_end["preference"]["chosen"] > eval_at_end["preference"]["rejected"]

    progress = run.of("progress")
    assert [p["step"] for p in progress] == list(range(1, 31))
    for p in progress:
        preference = p["preference"]
        assert set(preference) == {"chosen", "rejected", "margin", "accuracy"}
        assert 0.0 <= preference["accuracy"] <= 1.0
        assert preference["margin"] == pytest.approx(preference["chosen"] - preference["rejected"], abs=1e-4)
    assert all(p["tokens_per_sec"] > 0 and p["tokens_seen"] > 0 for p in progress)
    assert any(method in e["message"] for e in run.of("log"))

    result = run.one("result")
    assert result["kind"] == "adapter" and result["steps"] == 30 and result["final_loss"] == progress[-1]["loss"]
    assert result["train_tokens"] == progress[-1]["tokens_seen"]
    # The summary: the held-out metrics at step 0 and of the result model (no best checkpoint: the last step's).
    assert result["preference"] == {"before": run.of("eval")[0]["preference"], "after": eval_at_end["preference"]}
    final = Path(result["output_path"])
    assert (final / "adapter_model.safetensors").is_file() and not (final / "ref").exists()
    if method == "dpo":
        _loads_and_generates(final)


def _loads_and_generates(final: Path) -> None:
    """The final folder is an ordinary PEFT adapter on the base model, with the tokenizer and its template."""
    config = json.loads((final / "adapter_config.json").read_text())
    base = AutoModelForCausalLM.from_pretrained(config["base_model_name_or_path"])
    model = PeftModel.from_pretrained(base, final).eval()
    tokenizer = AutoTokenizer.from_pretrained(final)
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is Paris?"}], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        out = model.generate(**prompt, max_new_tokens=6, do_sample=False)
    assert out.shape[1] > prompt["input_ids"].shape[1]


def test_full_tuning_dpo_trains_against_a_frozen_copy_after_an_lr_search(make_spec, run_worker, tmp_path):
    search = {"candidates": [1e-5, 1e-3], "steps": 2, "train_fraction": 0.5}
    run = run_worker(preference_spec(make_spec, tmp_path, "dpo", "full", validation=False, tuning="full", max_steps=4, lr_search=search))
    assert run.returncode == 0, run.stderr[-3000:]
    trials = run.of("trial")
    assert [t["learning_rate"] for t in trials] == [1e-5, 1e-3] and all(t["eval_loss"] is not None for t in trials)
    assert trials[1]["eval_loss"] < trials[0]["eval_loss"]  # scored by the DPO loss on pairs the trials never train on
    assert run.of("progress")[-1]["learning_rate"] < 1e-3 <= max(p["learning_rate"] for p in run.of("progress"))
    result = run.one("result")
    assert result["kind"] == "full" and result["steps"] == 4
    assert (Path(result["output_path"]) / "model.safetensors").is_file()
    losses = progress_losses(run.events)
    assert losses[1] == pytest.approx(0.6931, abs=1e-3)  # step 1: the policy is still the reference
    assert losses[4] < losses[1]
    assert all(0 <= p["preference"]["accuracy"] <= 1 for p in run.of("progress"))


@pytest.mark.parametrize("tuning", ["lora", "full"])
def test_the_reference_is_the_base_for_an_adapter_and_a_frozen_copy_otherwise(tuning, make_spec, tmp_path):
    recipe = DPORecipe(preference_spec(make_spec, tmp_path, "dpo", tuning, validation=False, tuning=tuning), GracefulStop())
    recipe.setup()
    trainer = recipe.trainer
    if tuning == "lora":
        # No second model: TRL disables the adapter to score the reference, and keeps no copy of it either.
        assert trainer.ref_model is None
        assert list(trainer.model.peft_config) == ["default"] and trainer.model.active_adapter == "default"
        return
    reference = trainer.ref_model
    assert reference is not None and reference is not trainer.model
    assert not any(p.requires_grad for p in reference.parameters())
    policy = {p.data_ptr() for p in trainer.model.parameters()}
    assert not policy & {p.data_ptr() for p in reference.parameters()}  # a copy, not shared weights


def test_sigterm_stops_then_a_resume_continues_at_that_step_like_an_uninterrupted_run(make_spec, run_worker, start_worker, tmp_path):
    hp = dict(max_steps=30, save_steps=1000)
    uninterrupted = run_worker(preference_spec(make_spec, tmp_path, "dpo", "straight", validation=False, **hp))
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-3000:]

    spec = preference_spec(make_spec, tmp_path, "dpo", "stopped", validation=False, **hp)
    process = start_worker(spec)
    read_until(process, lambda e: e["type"] == "progress" and e["step"] == 3)
    process.send_signal(signal.SIGTERM)
    code, after = read_rest(process)
    assert code == 0
    stopped, checkpoint = after[-1], after[-2]
    assert stopped["type"] == "stopped" and checkpoint["type"] == "checkpoint"
    assert stopped["checkpoint"] == checkpoint["path"] and 3 <= stopped["step"] < 30
    assert not (Path(checkpoint["path"]) / "ref").exists()  # the adapter alone, no reference copy

    resumed = run_worker({**spec, "resume_from_checkpoint": stopped["checkpoint"]})
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.one("started")["resumed_from_step"] == stopped["step"]
    expected, got = progress_losses(uninterrupted.events), progress_losses(resumed.events)
    assert sorted(got) == list(range(stopped["step"] + 1, 31))
    for step, loss in got.items():
        assert loss == pytest.approx(expected[step], rel=1e-4, abs=1e-6), f"step {step}"
    assert resumed.one("result")["final_loss"] == pytest.approx(uninterrupted.one("result")["final_loss"], rel=1e-4, abs=1e-6)
