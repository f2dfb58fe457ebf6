"""SFT packing (hyperparameter `packing`): samples packed whole into rows of max_seq_len, padding-free.

The loss of a packed batch must equal the loss of the same samples batched with padding: each
sample keeps its own positions and attends only to itself. The worker run trains on exactly the
dataset's tokens in fewer, fuller steps.
"""

import json
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl.data_utils import pack_dataset
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

from conftest import TOY_PAIRS
from whet_worker.components.chat_template import choose_training_template
from whet_worker.components.target_token_loss import target_token_loss
from whet_worker.components.tokenize_chats import tokenize_conversations


@pytest.fixture(scope="module")
def tokenized(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    chats = [[{"role": "user", "content": q}, {"role": "assistant", "content": a}] for q, a in TOY_PAIRS]
    split = tokenize_conversations(chats, tokenizer, choose_training_template(tokenizer), max_seq_len=64)
    return tokenizer, split.dataset


def _loss(model, batch) -> float:
    with torch.no_grad():
        return float(target_token_loss(model, batch).loss)


def test_a_packed_batch_has_the_loss_of_the_same_samples_padded(tiny_model, tokenized):
    tokenizer, dataset = tokenized
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()
    rows = [dataset[i] for i in range(len(dataset))]

    padded = DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id)(rows)
    packed_rows = pack_dataset(dataset, seq_length=64, strategy="bfd")
    assert len(packed_rows) < len(rows)  # several samples share a row
    packed = DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id, padding_free=True)(list(packed_rows))
    assert "attention_mask" not in packed and packed["input_ids"].shape[0] == 1
    assert int(packed["input_ids"].numel()) == sum(len(r["input_ids"]) for r in rows)  # no padding at all

    expected = _loss(model, padded)
    assert _loss(model, packed) == pytest.approx(expected, rel=1e-5)
    # Without the restarting positions the samples would see each other: a different loss.
    leaking = {**packed, "position_ids": torch.arange(packed["input_ids"].shape[1])[None]}
    assert abs(_loss(model, leaking) - expected) > 1e-3


def test_a_packed_run_learns_on_exactly_the_datasets_tokens_in_fewer_steps(make_spec, run_worker, tiny_model, tmp_path):
    hp = dict(epochs=4, learning_rate=1e-2)
    grouped = run_worker(make_spec({"output_dir": str(tmp_path / "grouped")}, **hp))
    packed = run_worker(make_spec({"output_dir": str(tmp_path / "packed")}, **hp, packing=True))
    assert grouped.returncode == 0, grouped.stderr[-3000:]
    assert packed.returncode == 0, packed.stderr[-3000:]

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    train = make_spec()["data"]["train"]
    chats = [json.loads(line)["messages"] for line in open(train, encoding="utf-8")]
    lengths = [len(ids) for ids in tokenize_conversations(chats, tokenizer, choose_training_template(tokenizer), 64).dataset["input_ids"]]
    result, plan = packed.one("result"), packed.of("plan")[0]
    assert result["train_tokens"] == 4 * sum(lengths)  # every token counted, end-of-turn tokens too
    assert plan["train_samples"] == len(lengths)
    rows_per_epoch = -(-sum(lengths) // 64)  # at least this many rows of 64 tokens
    assert plan["steps_per_epoch"] >= -(-rows_per_epoch // 4)
    assert plan["steps_per_epoch"] <= grouped.of("plan")[0]["steps_per_epoch"] / 2

    # Per epoch it learns as much as length-grouped batches (4 epochs: 6.69 -> 5.91 packed, 5.99 grouped).
    losses, grouped_losses = [e["loss"] for e in packed.of("progress")], [e["loss"] for e in grouped.of("progress")]
    tail = sum(losses[-3:]) / 3
    assert tail < losses[0] - 0.5, f"loss went {losses[0]:.2f} -> {tail:.2f}"
    assert tail < sum(grouped_losses[-3:]) / 3 + 0.2
    assert {"adapter_config.json", "adapter_model.safetensors"} <= {p.name for p in Path(result["output_path"]).iterdir()}
