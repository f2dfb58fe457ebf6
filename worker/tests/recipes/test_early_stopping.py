"""Early stopping: the run ends once the eval loss stops improving, the best checkpoint is the
result, and why it stopped is logged and reported."""

import json

from safetensors.torch import load_file

from conftest import TOY_PAIRS
from whet_worker.components.early_stopping import eval_losses, evaluations_without_progress


def test_counts_evaluations_since_the_best_with_a_margin_for_noise():
    history = [{"step": 2, "eval_loss": 3.0}, {"step": 4, "loss": 1.0}, {"step": 4, "eval_loss": 2.0}, {"step": 6, "eval_loss": 1.999}, {"step": 8, "eval_loss": 2.5}]
    losses = eval_losses(history)
    assert losses == [(2, 3.0), (4, 2.0), (6, 1.999), (8, 2.5)]
    # 1.999 is within 0.1% of 2.0: not a new best
    assert evaluations_without_progress(losses) == (2, 4, 2.0)
    # a step evaluated again after a resume counts once, with its latest value
    assert eval_losses(history + [{"step": 8, "eval_loss": 1.5}])[-1] == (8, 1.5)
    assert evaluations_without_progress([]) == (0, None, None)


def write_contradicting_validation(path):
    """The training questions with other questions' answers: learning the training rows by heart
    makes the eval loss rise, as memorising does on real data."""
    with path.open("w", encoding="utf-8") as f:
        for i, (question, _) in enumerate(TOY_PAIRS):
            answer = TOY_PAIRS[(i + 3) % len(TOY_PAIRS)][1]
            f.write(json.dumps({"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}) + "\n")
    return path


def test_stops_when_the_eval_loss_turns_and_keeps_the_best_checkpoint(make_spec, run_worker, tmp_path):
    spec = make_spec(epochs=20, learning_rate=3e-3, eval_steps=4, save_steps=4, save_total_limit=2, early_stopping_patience=2, warmup_steps=2)
    spec["data"]["validation"] = str(write_contradicting_validation(tmp_path / "validation.jsonl"))
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]

    result = run.one("result")
    planned = run.of("plan")[0]["total_steps"]
    stopped = result["stopped_early"]
    assert stopped is not None, f"no early stop over {result['steps']} of {planned} steps: {[e['eval_loss'] for e in run.of('eval')]}"
    assert result["steps"] == stopped["step"] < planned
    assert stopped["patience"] == 2 and stopped["planned_steps"] == planned

    # the best evaluation is the result, and the two after it were no better
    evals = [(e["step"], e["eval_loss"]) for e in run.of("eval")]
    best_step, best_loss = min(evals, key=lambda e: e[1])
    assert (stopped["best_step"], result["best_step"]) == (best_step, best_step)
    assert result["best_eval_loss"] == stopped["best_eval_loss"] == best_loss
    assert [step for step, _ in evals][-3:] == [best_step, best_step + 4, best_step + 8]

    # the final adapter is the best checkpoint's, not the last step's
    final = load_file(tmp_path / "out" / "final" / "adapter_model.safetensors")
    best = load_file(tmp_path / "out" / "checkpoints" / f"checkpoint-{best_step}" / "adapter_model.safetensors")
    last = load_file(tmp_path / "out" / "checkpoints" / f"checkpoint-{stopped['step']}" / "adapter_model.safetensors")
    assert final.keys() == best.keys()
    assert all(final[k].equal(best[k]) for k in final)
    assert not all(final[k].equal(last[k]) for k in final)

    logs = [e["message"] for e in run.of("log")]
    assert any(m.startswith(f"early stopping at step {stopped['step']} of {planned}: the eval loss has not improved for 2 evaluations") for m in logs), logs


def test_off_without_patience_runs_every_step(make_spec, run_worker, tmp_path):
    spec = make_spec(epochs=2, learning_rate=3e-3, eval_steps=4, save_steps=4, early_stopping_patience=0)
    spec["data"]["validation"] = str(write_contradicting_validation(tmp_path / "validation.jsonl"))
    run = run_worker(spec)
    assert run.returncode == 0, run.stderr[-3000:]
    result = run.one("result")
    assert result["stopped_early"] is None
    assert result["steps"] == run.of("plan")[0]["total_steps"]
