"""The baseline a user would write instead of a Whetstone dpo or orpo job, on the same pairs in
TRL's conversational form ({"prompt", "chosen", "rejected"}), LoRA passed as `peft_config`, the
same steps, batch, max_length, rate and seed:
- dpo: TRL `DPOTrainer`, `ref_model=None` (the reference is the base, the adapter disabled),
  beta and loss type as in the worker, prompt + answer cut at max_length keeping the start.
- orpo: TRL 1.16 ships ORPO only as `trl.experimental.orpo` (`ORPOTrainer`, `ORPOConfig`, its
  `beta` is ORPO's lambda); the worker runs its own ORPO trainer instead (its NLL term leaves the
  prompt out, see worker/whet_worker/components/orpo_trainer.py), so this row compares with that
  experimental trainer as it is. Its batches carry no `input_ids`, so the Trainer counts no
  tokens: `_Counted` adds the non-padding tokens of the chosen and rejected rows (prompt
  included), the same tokens the Trainer counts for DPO and for the worker.

    python trl_preference.py MODEL PAIRS.jsonl ROW_SETTINGS.json OUT.json
"""

import json
import sys
import warnings
from pathlib import Path

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_data import trl_pairs  # noqa: E402
from trl_common import StepRates, adapter_config, trl_args, write_result  # noqa: E402


def orpo_trainer_class():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the experimental-module warning
        from trl.experimental.orpo import ORPOConfig, ORPOTrainer

    class _Counted(ORPOTrainer):
        """TRL's ORPO trainer, measured only: count the tokens its batches hold."""

        def _track_num_input_tokens(self, inputs):
            tokens = inputs["chosen_attention_mask"].sum() + inputs["rejected_attention_mask"].sum()
            self.state.num_input_tokens_seen += int(tokens)

    return ORPOConfig, _Counted


def main(model_path: str, pairs: str, settings_path: str, out_path: str) -> None:
    s = json.loads(Path(settings_path).read_text())
    set_seed(s["seed"])
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    out_dir = Path(out_path).parent / "trl-out"
    if s["method"] == "dpo":
        from trl import DPOConfig, DPOTrainer

        args = trl_args(DPOConfig, s, out_dir, beta=s["beta"], loss_type=[s["loss_type"]], max_length=s["max_seq_len"], truncation_mode="keep_start")
        trainer_class, extra = DPOTrainer, {"ref_model": None}
    else:
        config_class, trainer_class = orpo_trainer_class()
        args = trl_args(config_class, s, out_dir, beta=s["orpo_lambda"], max_length=s["max_seq_len"])
        extra = {}
    rates = StepRates()
    trainer = trainer_class(
        model=model, args=args, train_dataset=Dataset.from_list(trl_pairs(Path(pairs))), processing_class=tokenizer,
        peft_config=adapter_config(s, model), callbacks=[rates], **extra,
    )
    trainer.train()
    write_result(out_path, trainer, rates)


if __name__ == "__main__":
    main(*sys.argv[1:5])
