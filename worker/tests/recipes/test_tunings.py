"""The tunings beyond lora/full: dora, qlora (its refusal here), ptuning, prefix, freeze with freeze_layers, use_rslora.

Training runs in this process through the SFT recipe itself (SFTRecipe: the worker's own model
loading, tuning, data and trainer), so every parameter can be compared before and after; what
comes out is then loaded by the real worker (generate, export) as a subprocess.
"""

import json
import math
from pathlib import Path

import pytest
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from conftest import HYPERPARAMETERS, write_spec
from whet_worker.components.fused_lora import FusedLoraLinear
from whet_worker.components.freeze import _matcher
from whet_worker.components.target_token_loss import supports_target_token_loss
from whet_worker.components.tuning import apply_tuning
from whet_worker.errors import WorkerError
from whet_worker.graceful_stop import GracefulStop
from whet_worker.recipes.sft import SFTRecipe
from whet_worker.spec import load_spec

LAYERS = 4  # the tiny model's decoder layers
LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class Trained:
    """One in-process training run: parameters and toy-set loss before and after, and the output folder."""

    def __init__(self, spec: dict) -> None:
        spec = load_spec(str(write_spec(spec, Path(spec["output_dir"]).with_suffix(".json"))))  # the worker's schema check
        recipe = SFTRecipe(spec, GracefulStop())
        recipe.setup()
        self.model = model = recipe.trainer.model
        self.trainable = {n for n, p in model.named_parameters() if p.requires_grad}
        self.tuned = recipe.tuned
        self.target_token_loss = recipe.trainer.target_only
        self.before = {n: t.detach().clone() for n, t in model.state_dict().items()}
        self.loss_before = _toy_loss(recipe.trainer)
        recipe.train()
        recipe.save()
        self.loss_after = _toy_loss(recipe.trainer)
        self.after = {n: t.detach().clone() for n, t in model.state_dict().items()}
        self.changed = {n for n in self.before if not torch.equal(self.before[n], self.after[n])}
        self.output = Path(spec["output_dir"]) / "final"
        self.last_checkpoint = Path(spec["output_dir"]) / "checkpoints" / f"checkpoint-{recipe.trainer.state.global_step}"


def _toy_loss(trainer) -> float:
    """The trainer's own loss (target tokens, virtual tokens and all) over the whole toy set, in eval mode."""
    model = trainer.model
    model.eval()
    with torch.no_grad():
        losses = [float(trainer.compute_loss(model, trainer._prepare_inputs(batch))) for batch in trainer.get_eval_dataloader(trainer.train_dataset)]
    model.train()
    return sum(losses) / len(losses)


# What each run trains; learning rates that move the tiny model in a dozen steps.
RUNS = {
    "dora": dict(learning_rate=1e-2, use_rslora=True),
    "ptuning": dict(learning_rate=3e-2, num_virtual_tokens=8, epochs=3),
    "prefix": dict(learning_rate=3e-2, num_virtual_tokens=8, epochs=3),
    "freeze": dict(learning_rate=1e-2, freeze_layers=[1, "self_attn.q_proj"], freeze_trainable_layers=3),
}


@pytest.fixture(scope="module")
def trained(tiny_model, tmp_path_factory):
    """Each tuning trained once per module, on demand."""
    runs: dict[str, Trained] = {}
    train = tmp_path_factory.mktemp("data") / "train.jsonl"
    from conftest import write_toy_data

    write_toy_data(train)

    def get(tuning: str) -> Trained:
        if tuning not in runs:
            root = tmp_path_factory.mktemp(tuning)
            spec = {
                "version": 1, "command": "train", "job_id": f"test-{tuning}", "method": "sft", "tuning": tuning,
                "model": {"path": str(tiny_model), "chat_template": None},
                "data": {"train": str(train), "validation": None, "validation_split": 0.0},
                "output_dir": str(root / "out"), "resume_from_checkpoint": None,
                "hyperparameters": {**HYPERPARAMETERS, "epochs": 2, **RUNS[tuning]},
                "device": "cpu", "threads": 1,
            }
            runs[tuning] = Trained(spec)
        return runs[tuning]

    return get


# --- training: the loss falls, exactly the intended parameters change ---


@pytest.mark.parametrize("tuning", list(RUNS))
def test_the_toy_loss_falls(tuning, trained):
    run = trained(tuning)
    assert run.loss_after < run.loss_before - 0.1, f"{tuning}: {run.loss_before:.3f} -> {run.loss_after:.3f}"


def _assert_exactly_trainable_changed(run: Trained) -> None:
    assert run.changed == run.trainable, f"changed but frozen: {sorted(run.changed - run.trainable)[:5]}; trainable but unchanged: {sorted(run.trainable - run.changed)[:5]}"
    frozen = set(run.before) - run.trainable
    assert frozen and all(torch.equal(run.before[n], run.after[n]) for n in frozen)  # bit-identical
    assert run.tuned.trainable_params == sum(run.before[n].numel() for n in run.trainable)


def test_dora_trains_its_adapters_and_magnitudes_only_and_saves_them(trained):
    run = trained("dora")
    _assert_exactly_trainable_changed(run)
    # names end in <module>.lora_A.default.weight, .lora_B..., .lora_magnitude_vector...
    assert {n.split(".")[-3] for n in run.trainable} == {"lora_A", "lora_B", "lora_magnitude_vector"}
    assert len(run.trainable) == LAYERS * len(LINEAR) * 3
    assert run.tuned.kind == "adapter" and run.target_token_loss  # DoRA changes no positions: the target-token loss holds
    saved = load_file(run.output / "adapter_model.safetensors")
    assert sum("lora_magnitude_vector" in n for n in saved) == LAYERS * len(LINEAR)
    config = json.loads((run.output / "adapter_config.json").read_text())
    assert config["use_dora"] is True and config["use_rslora"] is True


def test_rslora_scales_by_alpha_over_the_root_of_r(trained, tiny_model):
    run = trained("dora")  # trained with use_rslora, r 8, alpha 16
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), run.output)
    scalings = [m.scaling["default"] for m in model.modules() if isinstance(getattr(m, "scaling", None), dict) and "default" in m.scaling]
    assert len(scalings) == LAYERS * len(LINEAR) and all(s == pytest.approx(16 / math.sqrt(8)) for s in scalings)
    # and plain LoRA with use_rslora too, where the fused forward uses the same scaling
    tuned = apply_tuning(AutoModelForCausalLM.from_pretrained(tiny_model), "lora", {**HYPERPARAMETERS, "use_rslora": True})
    layers = [m for m in tuned.model.modules() if isinstance(m, FusedLoraLinear)]
    assert len(layers) == LAYERS * len(LINEAR) and all(m.scaling["default"] == 16 / math.sqrt(8) for m in layers)
    assert tuned.model.peft_config["default"].use_rslora is True


def test_ptuning_trains_its_prompt_encoder_only_with_trls_loss(trained):
    run = trained("ptuning")
    _assert_exactly_trainable_changed(run)
    assert run.trainable and all(n.startswith("prompt_encoder.default.") for n in run.trainable)
    assert any("mlp_head" in n for n in run.trainable)  # the encoder's MLP, not just embeddings
    assert not run.target_token_loss  # virtual tokens shift positions: SFTTrainer's loss, through PEFT's forward
    config = json.loads((run.output / "adapter_config.json").read_text())
    assert config["peft_type"] == "P_TUNING" and config["num_virtual_tokens"] == 8 and config["encoder_hidden_size"] == 64
    assert load_file(run.output / "adapter_model.safetensors")["prompt_embeddings"].shape == (8, 64)


def test_a_ptuning_checkpoint_loads_back_into_a_training_model_exactly(trained):
    """What the trainer does on a resume or to restore the best checkpoint. PEFT saves only the
    encoder's output; loaded alone it would be run through the MLP again (ptuning_state.py)."""
    run = trained("ptuning")
    model, ids = run.model.eval(), torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        expected = model(input_ids=ids).logits
        for param in model.prompt_encoder.parameters():
            param.add_(0.5)  # the load must restore every weight of the encoder
        assert not torch.equal(model(input_ids=ids).logits, expected)
    assert (run.last_checkpoint / "ptuning_encoder.safetensors").is_file()
    model.load_adapter(str(run.last_checkpoint), "default")
    with torch.no_grad():
        torch.testing.assert_close(model(input_ids=ids).logits, expected, atol=0, rtol=0)


def test_prefix_trains_its_prefix_only_with_trls_loss(trained):
    run = trained("prefix")
    _assert_exactly_trainable_changed(run)
    assert run.trainable == {"prompt_encoder.default.embedding.weight"}
    assert not run.target_token_loss
    config = json.loads((run.output / "adapter_config.json").read_text())
    assert config["peft_type"] == "PREFIX_TUNING" and config["num_virtual_tokens"] == 8
    # keys and values for 4 layers x 2 KV heads x 16 dims per virtual token
    assert load_file(run.output / "adapter_model.safetensors")["prompt_embeddings"].shape == (8, LAYERS * 2 * 2 * 16)


def test_freeze_layers_trains_exactly_the_layers_and_modules_named(trained, tiny_model):
    run = trained("freeze")  # freeze_layers [1, "self_attn.q_proj"], which overrides freeze_trainable_layers 3
    _assert_exactly_trainable_changed(run)
    expected = {n for n in run.before if n.startswith("model.layers.1.") or n.endswith("self_attn.q_proj.weight")}
    assert run.trainable == expected and len(expected) == 9 + LAYERS - 1
    assert "model.norm.weight" not in run.changed and "model.embed_tokens.weight" not in run.changed
    saved = load_file(run.output / "model.safetensors")
    original = load_file(tiny_model / "model.safetensors")
    assert {n for n in original if not torch.equal(original[n], saved[n])} == expected


# --- tuning errors and guards, no training ---


def test_freeze_layers_name_what_does_not_exist(tiny_model):
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    with pytest.raises(WorkerError) as error:
        apply_tuning(model, "freeze", {**HYPERPARAMETERS, "freeze_layers": [2, 7]})
    assert error.value.code == "INVALID_HYPERPARAMETER" and "layer 7" in error.value.message and "layers 0-3" in error.value.message
    with pytest.raises(WorkerError) as error:
        apply_tuning(model, "freeze", {**HYPERPARAMETERS, "freeze_layers": ["mlp", "attention.query"]})
    message = error.value.message
    assert error.value.code == "INVALID_HYPERPARAMETER" and "'attention.query'" in message and "'mlp'" not in message
    assert "model.layers.<0-3>.self_attn.q_proj.weight" in message and "model.norm.weight" in message
    # the schema already refuses a negative index; the worker does too
    with pytest.raises(WorkerError, match="layer -1"):
        apply_tuning(model, "freeze", {**HYPERPARAMETERS, "freeze_layers": [-1]})
    # without freeze_layers (null), the last freeze_trainable_layers layers and the final norm, as before
    tuned = apply_tuning(model, "freeze", {**HYPERPARAMETERS, "freeze_layers": None, "freeze_trainable_layers": 1})
    trainable = {n for n, p in tuned.model.named_parameters() if p.requires_grad}
    assert trainable == {n for n, _ in model.named_parameters() if n.startswith("model.layers.3.")} | {"model.norm.weight"}


def test_a_number_in_a_pattern_matches_whole_numbers_only():
    assert _matcher("layers.2").search("model.layers.2.mlp.up_proj.weight")
    assert not _matcher("layers.2").search("model.layers.23.mlp.up_proj.weight")
    assert not _matcher("3.mlp").search("model.layers.13.mlp.up_proj.weight")
    assert _matcher("mlp").search("model.layers.13.mlp.up_proj.weight") and _matcher("proj").search("x.q_proj.weight")


def test_dora_runs_peft_forward_not_the_fused_one(tiny_model):
    """The fused LoRA forward must leave DoRA layers to PEFT: outputs and gradients equal PEFT's own DoRA model."""
    hp = {**HYPERPARAMETERS, "lora_dropout": 0.0}
    torch.manual_seed(0)
    ours = apply_tuning(AutoModelForCausalLM.from_pretrained(tiny_model), "dora", hp).model
    torch.manual_seed(0)
    config = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules="all-linear", use_dora=True, task_type="CAUSAL_LM")
    reference = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model), config)
    reference.load_state_dict(ours.state_dict())
    with torch.no_grad():  # B = 0 at init would hide the adapter: make it count, the same in both
        for model in (ours, reference):
            torch.manual_seed(1)
            for name, param in model.named_parameters():
                if "lora_B" in name:
                    param.normal_(0, 0.1)
    fused = [m for m in ours.modules() if isinstance(m, FusedLoraLinear)]
    assert fused and all(m._fusable_adapter(torch.zeros(1, dtype=m.lora_A["default"].weight.dtype), (), {}) is None for m in fused)
    ids = torch.tensor([[5, 6, 7, 8, 9, 10]])
    outputs, grads = [], []
    for model in (ours, reference):
        model.train()
        model.zero_grad()
        logits = model(input_ids=ids).logits
        logits.square().mean().backward()
        outputs.append(logits.detach())
        grads.append({n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad})
    torch.testing.assert_close(outputs[0], outputs[1], atol=1e-6, rtol=1e-6)
    assert grads[0].keys() == grads[1].keys() and any("magnitude" in n for n in grads[0])
    for name in grads[0]:
        torch.testing.assert_close(grads[0][name], grads[1][name], atol=1e-6, rtol=1e-5, msg=name)


@pytest.mark.parametrize("tuning", ["ptuning", "prefix"])
def test_prompt_learning_uses_trls_loss_and_prefix_keeps_its_cache_under_checkpointing(tuning, tiny_model):
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    tuned = apply_tuning(model, tuning, {**HYPERPARAMETERS, "num_virtual_tokens": 4})
    assert tuned.kind == "adapter" and not supports_target_token_loss(tuned.model)
    assert tuned.model.peft_config["default"].num_virtual_tokens == 4
    tuned.model.activation_checkpointing_enable()  # what the trainer calls on CUDA
    # prefix tuning: checkpointed layers would drop the prefix cache, so checkpointing stays off
    assert model.is_activation_checkpointing == (tuning == "ptuning")


def test_num_virtual_tokens_defaults_to_20(tiny_model):
    hp = {k: v for k, v in HYPERPARAMETERS.items()}
    tuned = apply_tuning(AutoModelForCausalLM.from_pretrained(tiny_model), "ptuning", hp)
    assert tuned.model.peft_config["default"].num_virtual_tokens == 20


def test_qlora_is_refused_on_the_cpu_before_any_weight_loads(make_spec, monkeypatch):
    import transformers

    def no_loading(*args, **kwargs):
        raise AssertionError("weights were loaded")

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", no_loading)
    recipe = SFTRecipe(make_spec({"tuning": "qlora"}), GracefulStop())
    with pytest.raises(WorkerError) as error:
        recipe.setup()
    assert error.value.code == "CUDA_UNAVAILABLE"
    assert "QLoRA needs an NVIDIA GPU with bitsandbytes" in error.value.message
    assert '"lora"' in error.value.hint and '"dora"' in error.value.hint


def test_qlora_without_bitsandbytes_names_the_package(monkeypatch):
    from whet_worker.components import quantization

    monkeypatch.setattr(quantization.torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(quantization.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(WorkerError) as error:
        quantization.check_qlora_available("cuda")
    assert error.value.code == "CUDA_UNAVAILABLE" and "bitsandbytes package is not installed" in error.value.message
    config = quantization.four_bit_config(torch.bfloat16)  # what the CUDA path loads with
    assert config.load_in_4bit and config.bnb_4bit_quant_type == "nf4" and config.bnb_4bit_use_double_quant
    assert config.bnb_4bit_compute_dtype == torch.bfloat16


def test_qlora_through_the_worker_is_a_clear_error(make_spec, run_worker):
    run = run_worker(make_spec({"tuning": "qlora"}))
    assert run.returncode == 1, run.stderr[-3000:]
    error = run.one("error")
    assert error["code"] == "CUDA_UNAVAILABLE" and "bitsandbytes" in error["message"] and "dora" in error["hint"]
    assert not run.of("plan")


# --- what comes out: it loads, generates, exports (or says why not), resumes ---


def _generate_spec(model: Path, adapter: Path | None, out: Path, prompts: Path) -> dict:
    return {
        "version": 1, "command": "generate", "model": {"path": str(model), "chat_template": None},
        "adapter": str(adapter) if adapter else None, "input_path": str(prompts), "output_path": str(out),
        "generation": {"max_tokens": 6, "temperature": 0, "top_p": 1, "top_k": 0, "repetition_penalty": 1.0, "seed": 0},
        "batch_size": 4, "device": "cpu", "threads": 1,
    }


@pytest.mark.parametrize("tuning", list(RUNS))
def test_the_output_loads_and_generates(tuning, trained, tiny_model, run_worker, tmp_path):
    run = trained(tuning)
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"messages": [{"role": "user", "content": q}]}) + "\n" for q in ("What color is the sky?", "Name a primary color.")))
    model, adapter = (run.output, None) if tuning == "freeze" else (tiny_model, run.output)
    done = run_worker(_generate_spec(model, adapter, tmp_path / "out.jsonl", prompts), "generate")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(lines) == 2 and all(line["completion_tokens"] > 0 and "error" not in line for line in lines)
    if tuning in ("ptuning", "prefix"):
        assert any("8 virtual tokens" in e["message"] for e in done.of("log"))


def test_a_dora_adapter_merges_on_export(trained, tiny_model, run_worker, tmp_path):
    run = trained("dora")
    out = tmp_path / "merged"
    spec = {"version": 1, "command": "export", "model": {"path": str(tiny_model)}, "adapter": str(run.output), "format": "merged", "quantization": None, "output_path": str(out)}
    done = run_worker(spec, "export")
    assert done.returncode == 0, done.stderr[-3000:]
    ids = torch.tensor([[5, 6, 7, 8, 9, 10]])
    with torch.no_grad():
        base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
        base_logits = base(ids).logits
        adapted = PeftModel.from_pretrained(base, run.output).eval()(ids).logits
        merged = AutoModelForCausalLM.from_pretrained(out).eval()(ids).logits
    assert (adapted - base_logits).abs().max() > 1e-3  # the trained adapter matters
    torch.testing.assert_close(merged, adapted, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("tuning,fmt", [("ptuning", "merged"), ("prefix", "gguf")])
def test_a_prompt_learning_adapter_cannot_merge_and_says_why(tuning, fmt, trained, tiny_model, run_worker, tmp_path):
    run = trained(tuning)
    spec = {"version": 1, "command": "export", "model": {"path": str(tiny_model)}, "adapter": str(run.output), "format": fmt,
            "quantization": "q8_0" if fmt == "gguf" else None, "output_path": str(tmp_path / "out")}
    done = run_worker(spec, "export")
    assert done.returncode == 1
    error = done.one("error")
    assert error["code"] == "EXPORT_UNSUPPORTED" and f"is a {tuning} adapter" in error["message"]
    assert "virtual tokens" in error["message"] and "not weights" in error["message"]
    assert '"peft"' in error["hint"] and "torch backend" in error["hint"]
    assert not (tmp_path / "out").exists()
    # the adapter itself exports as it is
    peft = run_worker({**spec, "format": "peft", "quantization": None}, "export")
    assert peft.returncode == 0 and (tmp_path / "out" / "adapter_config.json").is_file()


@pytest.mark.parametrize("tuning", ["dora", "ptuning"])
def test_a_resume_continues_at_the_checkpoint_step(tuning, make_spec, run_worker, tmp_path):
    hp = dict(max_steps=8, save_steps=4, lora_dropout=0.1, learning_rate=1e-2, num_virtual_tokens=4)  # dropout: the RNG state must resume too
    straight = run_worker(make_spec({"tuning": tuning, "output_dir": str(tmp_path / "straight")}, **hp))
    assert straight.returncode == 0, straight.stderr[-3000:]
    checkpoint = tmp_path / "straight" / "checkpoints" / "checkpoint-4"
    resumed = run_worker(make_spec({"tuning": tuning, "output_dir": str(tmp_path / "resumed"), "resume_from_checkpoint": str(checkpoint)}, **hp))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.one("started")["resumed_from_step"] == 4
    expected = {e["step"]: e["loss"] for e in straight.of("progress")}
    got = {e["step"]: e["loss"] for e in resumed.of("progress")}
    assert sorted(got) == [5, 6, 7, 8]
    for step, loss in got.items():
        assert loss == pytest.approx(expected[step], rel=1e-4), f"step {step}"
    assert resumed.one("result")["kind"] == "adapter"
