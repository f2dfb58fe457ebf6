"""The SFT recipe end to end: the real worker process training the tiny model on CPU."""

import json
import os
import signal
from pathlib import Path

import psutil
import pytest
import torch
from safetensors.torch import load_file

from conftest import parse_events


def read_until(process, stop_at) -> list[dict]:
    """Read events until `stop_at(event)` holds."""
    events = []
    for line in process.stdout:
        events.extend(parse_events(line))
        if stop_at(events[-1]):
            return events
    raise AssertionError(f"the worker ended (exit {process.wait()}) before the awaited event; got {events}")


def read_rest(process) -> tuple[int, list[dict]]:
    events = parse_events(process.stdout.read())
    return process.wait(timeout=120), events


def progress_losses(events: list[dict]) -> dict[int, float]:
    return {e["step"]: e["loss"] for e in events if e["type"] == "progress"}


def test_full_tuning_learns_the_toy_task_and_reports_in_order(make_spec, run_worker):
    spec = make_spec({"tuning": "full", "data": {**make_spec()["data"], "validation_split": 0.1}}, epochs=2, eval_steps=10)
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]

    types = [e["type"] for e in run.events]
    assert types[0] == "started" and types[-1] == "result"
    assert types.index("plan") < types.index("progress")
    plan = run.of("plan")[0]
    assert (plan["train_samples"], plan["eval_samples"]) == (43, 5)  # ceil(48 * 0.1) held out
    assert plan["total_steps"] == 2 * plan["steps_per_epoch"] == 22
    # once the first steps are timed, the run says how long it will take
    measured = run.of("plan")[1]
    assert measured["reason"] == "measured" and measured["seconds_per_step"] > 0
    assert measured["estimated_seconds"] == pytest.approx(measured["seconds_per_step"] * (22 - 4))
    assert types.index("plan", types.index("progress")) < types.index("result")
    losses = progress_losses(run.events)
    assert sorted(losses) == list(range(1, 23))
    first, last = sum(list(losses.values())[:3]) / 3, sum(list(losses.values())[-3:]) / 3
    assert last < first - 2.0, f"loss went {first:.2f} -> {last:.2f}"
    assert [e["step"] for e in run.of("eval")] == [10, 20, 22]
    assert all(p["tokens_per_sec"] > 0 for p in run.of("progress"))

    result = run.one("result")
    assert result["kind"] == "full" and result["steps"] == 22
    assert result["final_loss"] == losses[22]
    final = Path(result["output_path"])
    assert {"config.json", "model.safetensors", "tokenizer.json", "chat_template.jinja"} <= {p.name for p in final.iterdir()}


def _weights(folder: Path) -> dict[str, torch.Tensor]:
    return load_file(folder / "model.safetensors")


def _layer(name: str) -> int | None:
    parts = name.split(".")
    return int(parts[parts.index("layers") + 1]) if "layers" in parts else None


@pytest.mark.parametrize("tuning", ["lora", "full", "freeze"])
def test_each_tuning_trains_exactly_its_parameters(tuning, tiny_model, make_spec, run_worker):
    spec = make_spec({"tuning": tuning}, max_steps=3, freeze_trainable_layers=2, learning_rate=1e-2)
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]
    result, plan = run.one("result"), run.of("plan")[0]
    original = _weights(tiny_model)
    config = json.loads((tiny_model / "config.json").read_text())
    hidden, layers, inter = config["hidden_size"], config["num_hidden_layers"], config["intermediate_size"]
    kv = config["num_key_value_heads"] * hidden // config["num_attention_heads"]
    total = sum(t.numel() for t in original.values())  # the tied head is stored once
    assert plan["total_params"] == result["total_params"] == total + (result["trainable_params"] if tuning == "lora" else 0)
    final = Path(result["output_path"])

    if tuning == "lora":
        # r * (in + out) for every linear layer: q, k, v, o, gate, up, down
        shapes = [(hidden, hidden), (hidden, kv), (hidden, kv), (hidden, hidden), (hidden, inter), (hidden, inter), (inter, hidden)]
        expected = layers * sum(8 * (i + o) for i, o in shapes)
        assert result["trainable_params"] == expected
        adapter = load_file(final / "adapter_model.safetensors")
        assert sum(t.numel() for t in adapter.values()) == expected
        assert result["kind"] == "adapter" and not (final / "model.safetensors").exists()
        return

    trained = _weights(final)
    assert trained.keys() == original.keys()
    changed = {name for name in original if not torch.equal(original[name], trained[name])}
    if tuning == "full":
        assert result["trainable_params"] == total
        assert changed == set(original)
    else:  # the last 2 layers and the final norm; the tied embedding/head stays frozen
        should_train = {n for n in original if (_layer(n) or -1) >= layers - 2 or n == "model.norm.weight"}
        assert result["trainable_params"] == sum(original[n].numel() for n in should_train)
        assert changed == should_train
        assert any("tied" in e["message"] for e in run.of("log"))


def test_kill_9_then_resume_matches_an_uninterrupted_run(make_spec, run_worker, start_worker, tmp_path):
    hp = dict(max_steps=24, save_steps=6, lora_dropout=0.1)  # dropout: the RNG state must resume too
    uninterrupted = run_worker(make_spec({"output_dir": str(tmp_path / "straight")}, **hp))
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-3000:]

    spec = make_spec({"output_dir": str(tmp_path / "killed")}, **hp)
    process = start_worker(spec)
    checkpoint = read_until(process, lambda e: e["type"] == "checkpoint")[-1]
    process.kill()  # SIGKILL: no chance to save anything
    process.wait()
    assert checkpoint["step"] == 6

    resumed = run_worker({**spec, "resume_from_checkpoint": checkpoint["path"]})
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.one("started")["resumed_from_step"] == 6
    expected, got = progress_losses(uninterrupted.events), progress_losses(resumed.events)
    assert sorted(got) == list(range(7, 25))
    for step, loss in got.items():
        assert loss == pytest.approx(expected[step], rel=1e-4), f"step {step}"
    assert resumed.one("result")["final_loss"] == pytest.approx(uninterrupted.one("result")["final_loss"], rel=1e-4)


def test_sigterm_checkpoints_and_stops_then_a_resume_with_more_epochs_extends_the_schedule(make_spec, run_worker, start_worker):
    spec = make_spec(epochs=2, learning_rate=1e-3)
    process = start_worker(spec)
    before = read_until(process, lambda e: e["type"] == "progress" and e["step"] == 3)
    process.send_signal(signal.SIGTERM)
    code, after = read_rest(process)
    assert code == 0
    assert after[-1]["type"] == "stopped" and after[-2]["type"] == "checkpoint"
    stopped, checkpoint = after[-1], after[-2]
    assert stopped["checkpoint"] == checkpoint["path"] and stopped["step"] == checkpoint["step"] >= 3
    assert Path(checkpoint["path"], "trainer_state.json").is_file()
    assert not any(e["type"] == "result" for e in after)
    old_total = [e for e in before if e["type"] == "plan"][0]["total_steps"]
    lr_at_stop = [e for e in before + after if e["type"] == "progress"][-1]["learning_rate"]

    resumed = run_worker({**spec, "resume_from_checkpoint": stopped["checkpoint"], "hyperparameters": {**spec["hyperparameters"], "epochs": 3}})
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    new_total = resumed.of("plan")[0]["total_steps"]
    assert new_total == old_total * 3 // 2
    assert any("re-planned" in e["message"] for e in resumed.of("log"))
    progress = resumed.of("progress")
    assert [p["step"] for p in progress] == list(range(stopped["step"] + 1, new_total + 1))
    assert all(p["total_steps"] == new_total for p in progress)
    # past warmup the rate keeps decaying from where it stopped: no second warmup, no jump
    rates = [p["learning_rate"] for p in progress]
    assert 0 < rates[0] <= lr_at_stop and rates == sorted(rates, reverse=True)
    assert rates[-1] == pytest.approx(1e-3 * 0.1, rel=0.2)
    assert resumed.one("result")["steps"] == new_total


def test_sigterm_before_training_stops_at_once_without_a_checkpoint(make_spec, start_worker):
    process = start_worker(make_spec())
    read_until(process, lambda e: e["type"] == "started")
    process.send_signal(signal.SIGTERM)
    code, rest = read_rest(process)
    assert code == 0
    assert rest[-1] == {"type": "stopped", "step": 0, "checkpoint": None}


def test_samples_truncated_to_nothing_fail_with_the_numbers(make_spec, run_worker, tmp_path):
    long_prompt = tmp_path / "long.jsonl"
    with long_prompt.open("w") as f:
        for _ in range(3):
            messages = [{"role": "user", "content": "word " * 40}, {"role": "assistant", "content": "ok"}]
            f.write(json.dumps({"messages": messages}) + "\n")
    spec = make_spec({"data": {"train": str(long_prompt), "validation": None, "validation_split": 0.0}}, max_seq_len=16)
    run = run_worker(spec)
    assert run.returncode == 1
    error = run.one("error")
    assert error["code"] == "DATASET_EMPTY_AFTER_TRUNCATION"
    assert "All 3 training samples" in error["message"] and "max_seq_len=16" in error["message"]


def test_some_truncated_samples_are_dropped_and_reported(make_spec, run_worker, tmp_path):
    data = Path(make_spec()["data"]["train"])
    with data.open("a") as f:
        f.write(json.dumps({"messages": [{"role": "user", "content": "word " * 40}, {"role": "assistant", "content": "ok"}]}) + "\n")
    # the toy chats take 22-30 tokens; threads null takes the physical cores
    run = run_worker(make_spec({"threads": None}, max_steps=1, max_seq_len=32))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.of("plan")[0]["train_samples"] == 48
    assert any("dropped 1 of 49 training samples" in e["message"] for e in run.of("log")), run.events
    assert run.one("started")["threads"] == (psutil.cpu_count(logical=False) or os.cpu_count())


def test_device_cuda_without_a_gpu_is_a_clear_error(make_spec, run_worker):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    run = run_worker(make_spec({"device": "cuda"}))
    assert run.returncode == 1
    assert run.one("error")["code"] == "CUDA_UNAVAILABLE"


def test_a_folder_without_a_model_is_model_path_invalid(make_spec, run_worker, tmp_path):
    run = run_worker(make_spec({"model": {"path": str(tmp_path), "chat_template": None}}))
    assert run.returncode == 1
    error = run.one("error")
    assert error["code"] == "MODEL_PATH_INVALID" and str(tmp_path) in error["message"]


def test_cut_answers_are_reported_and_dropped_only_when_asked(make_spec, run_worker, tmp_path):
    data = Path(make_spec()["data"]["train"])
    with data.open("a") as f:
        f.write(json.dumps({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "word " * 40}]}) + "\n")
    kept = run_worker(make_spec(max_steps=1, max_seq_len=32))
    assert kept.returncode == 0, kept.stderr[-3000:]
    assert kept.of("plan")[0]["train_samples"] == 49
    assert any("1 of 49 training samples have answers cut at max_seq_len=32" in e["message"] for e in kept.of("log"))

    spec = make_spec(max_steps=1, max_seq_len=32)
    spec["data"]["drop_truncated"] = True
    dropped = run_worker(spec)
    assert dropped.returncode == 0, dropped.stderr[-3000:]
    assert dropped.of("plan")[0]["train_samples"] == 48
    assert any("1 had answers cut (drop_truncated)" in e["message"] for e in dropped.of("log"))
