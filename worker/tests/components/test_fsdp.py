"""strategy "fsdp": the Trainer options the worker builds (no GPU needed to build them), its refusal
on CPU, and the library behaviour that refusal stands on, shown with two real gloo ranks.

FSDP itself only runs on CUDA (components/fsdp.py says why), so no test here trains with it; the
last test fails the day accelerate shards on CPU, which is the day to lift the refusal and train
two gloo ranks with FSDP here against one process.
"""

import json
import subprocess
import sys
import textwrap

import pytest
import torch
from transformers import AutoModelForCausalLM, TrainingArguments

from conftest import HYPERPARAMETERS, WORKER_ROOT, free_port
from whet_worker.components.fsdp import CPU_REASON, decoder_layer_classes, fsdp_options
from whet_worker.components.training_args import training_args
from whet_worker.components.tuning import apply_tuning
from whet_worker.errors import WorkerError


@pytest.fixture(scope="module")
def lora_model(tiny_model):
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    return apply_tuning(model, "lora", HYPERPARAMETERS).model


def test_fsdp_on_cuda_shards_each_decoder_layer_with_full_checkpoints(lora_model, tmp_path):
    options = fsdp_options(lora_model, "fsdp", "cuda")
    args = training_args(TrainingArguments, HYPERPARAMETERS, tmp_path, device="cuda", has_eval=False, budgeted=False, fsdp=options)
    assert args.fsdp is True
    # What the Trainer hands accelerate's FullyShardedDataParallelPlugin.
    assert args.fsdp_plugin_args == {
        "fsdp_version": 2,
        "auto_wrap_policy": "TRANSFORMER_BASED_WRAP",
        "transformer_cls_names_to_wrap": "LlamaDecoderLayer",  # the PEFT model's base's _no_split_modules
        "cpu_ram_efficient_loading": False,
        "state_dict_type": "FULL_STATE_DICT",  # rank 0 writes a whole adapter the server can serve
        "activation_checkpointing": True,  # FSDP's own, instead of the trainer's
        "reshard_after_forward": True,
    }
    assert args.activation_checkpointing is False  # the Trainer refuses both at once
    assert args.auto_find_batch_size is False
    assert args.per_device_train_batch_size == HYPERPARAMETERS["batch_size"]  # one process here: the whole global batch


def test_ddp_and_one_process_keep_the_arguments_as_they_were(lora_model, tmp_path):
    assert fsdp_options(lora_model, None, "cuda") is None
    assert fsdp_options(lora_model, "ddp", "cpu") is None
    args = training_args(TrainingArguments, HYPERPARAMETERS, tmp_path, device="cuda", has_eval=False, budgeted=False, fsdp=None)
    assert not args.fsdp and args.fsdp_plugin_args is None
    assert args.activation_checkpointing is True and args.auto_find_batch_size is True


def test_fsdp_on_cpu_and_a_model_without_layer_classes_are_refused_with_the_reason(lora_model):
    with pytest.raises(WorkerError) as cpu:
        fsdp_options(lora_model, "fsdp", "cpu")
    assert cpu.value.code == "INVALID_REQUEST"
    assert CPU_REASON in cpu.value.message and "no available devices found" in cpu.value.message
    assert 'strategy "ddp"' in cpu.value.hint
    assert decoder_layer_classes(lora_model) == ["LlamaDecoderLayer"]
    with pytest.raises(WorkerError, match="Linear names no decoder layer class"):
        decoder_layer_classes(torch.nn.Linear(2, 2))


def test_accelerate_refuses_fsdp1_on_cpu_in_the_words_the_refusal_quotes(tmp_path):
    from accelerate.utils import FullyShardedDataParallelPlugin

    args = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to="none", fsdp=True, fsdp_config={"version": 1})
    with pytest.raises(RuntimeError) as refused:
        FullyShardedDataParallelPlugin(**args.fsdp_plugin_args)  # as Trainer.create_accelerator_and_postprocess does
    assert str(refused.value) in CPU_REASON


# Two gloo ranks build the Trainer with FSDP2 and report what accelerate made of it.
_PROBE = textwrap.dedent("""
    import json, os, sys, torch
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
    model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
    fsdp_config = {"version": 2, "transformer_layer_cls_to_wrap": ["LlamaDecoderLayer"]}
    args = TrainingArguments(output_dir=sys.argv[2], use_cpu=True, report_to="none", fsdp=True, fsdp_config=fsdp_config)
    trainer = Trainer(model=model, args=args)
    if os.environ["RANK"] == "0":
        print(json.dumps({"distributed_type": str(trainer.accelerator.distributed_type), "fsdp": trainer.is_fsdp_enabled}))
""")


def test_accelerate_turns_fsdp2_into_plain_ddp_on_cpu_without_a_word(tiny_model, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE)
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-addr", "127.0.0.1", "--master-port", str(free_port()),
         str(probe), str(tiny_model), str(tmp_path / "out")],
        cwd=WORKER_ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    assert seen == {"distributed_type": "DistributedType.MULTI_CPU", "fsdp": False}  # FSDP2 asked, DDP given
