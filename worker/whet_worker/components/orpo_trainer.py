"""ORPO (Hong et al. 2024, "Monolithic Preference Optimization without Reference Model") as a
plain transformers Trainer, on the same batches as TRL's DPOTrainer.

    loss = NLL(chosen answer) + lambda * -log sigmoid(log odds(chosen) - log odds(rejected))
    log odds(y) = log p - log(1 - p), p = exp(the answer's average per-token log-probability)

The NLL is the mean over the chosen answers' tokens (the prompt is not a target, as in the SFT
recipe). No reference model. The batch is TRL's DataCollatorForPreference's (chosen rows, then
rejected rows, `completion_mask` marking the answers, truncated to max_length keeping the start)
and the log-probabilities come from TRL's fused LM head, which never builds the
(batch, length, vocab) logits.

Why not trl.experimental.orpo.ORPOTrainer (TRL 1.16): its NLL term also trains on the prompt
tokens; it appends EOS after a chat template's end-of-turn when the template puts anything after
it (ChatML's "\\n"), so answers train as "...<|im_end|>\\n<|im_end|>"; it never truncates a
prompt (a long one runs past max_length); its batches have no `input_ids`, so the Trainer counts no
tokens (tokens/s is 0 and a token budget cannot plan); and it materialises the full logits.

Logged like TRL's ORPO trainer, per step and with an eval_ prefix per evaluation:
rewards/chosen and rewards/rejected (lambda x the answer's average log-probability),
rewards/margins, rewards/accuracies (the share of pairs whose chosen answer is the more likely
per token), logps/chosen, logps/rejected, nll_loss, log_odds_ratio (mean log sigmoid of the log
odds ratio) and log_odds_chosen (its mean log odds ratio).
"""

from collections import defaultdict

import torch
import torch.nn.functional as F
from accelerate.utils import is_peft_model
from transformers import Trainer
from trl.trainer.dpo_trainer import DataCollatorForPreference
from trl.trainer.utils import add_fused_lm_head, disable_dropout_in_model


def log1mexp(x: torch.Tensor) -> torch.Tensor:
    """log(1 - exp(x)) for x <= 0, stable on both sides of -ln 2."""
    return torch.where(x < -0.6931471805599453, torch.log1p(-torch.exp(x)), torch.log(-torch.expm1(x)))


def orpo_loss(
    chosen_logps: torch.Tensor, rejected_logps: torch.Tensor, nll: torch.Tensor, orpo_lambda: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, log sigmoid of each pair's log odds ratio, the log odds ratios) from average log-probabilities."""
    chosen_logps, rejected_logps = chosen_logps.float(), rejected_logps.float()
    log_odds = (chosen_logps - rejected_logps) - (log1mexp(chosen_logps) - log1mexp(rejected_logps))
    ratio = F.logsigmoid(log_odds)
    return nll - orpo_lambda * ratio.mean(), ratio, log_odds


class ORPOTrainer(Trainer):
    # compute_loss returns a mean over the micro-batch: the Trainer divides it by the accumulation steps.
    loss_is_scaled_for_ga = False

    def __init__(self, *, orpo_lambda: float, max_length: int, **kwargs) -> None:
        model, tokenizer = kwargs["model"], kwargs["processing_class"]
        collator = DataCollatorForPreference(pad_token_id=tokenizer.pad_token_id, max_length=max_length, truncation_mode="keep_start")
        kwargs.setdefault("data_collator", collator)
        disable_dropout_in_model(model)  # as TRL's preference trainers do (disable_dropout); LoRA dropout stays
        if is_peft_model(model) and kwargs["args"].activation_checkpointing:
            # Frozen embeddings give checkpointed layers no input that needs a gradient: as SFTTrainer and DPOTrainer do.
            model.enable_input_require_grads()
        super().__init__(**kwargs)
        self.orpo_lambda = orpo_lambda
        add_fused_lm_head(model.get_base_model() if is_peft_model(model) else model)
        self._metrics = {"train": defaultdict(list), "eval": defaultdict(list)}

    def _set_signature_columns_if_needed(self):
        if self._signature_columns is None:
            self._signature_columns = ["prompt_ids", "chosen_ids", "rejected_ids"]

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        mode = "train" if self.model.training else "eval"
        completion_mask = inputs["completion_mask"]
        labels = inputs["input_ids"].masked_fill(completion_mask == 0, -100)
        outputs = model(
            input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"], labels=labels, fused_lm_head=True, use_cache=False
        )
        mask = completion_mask[:, 1:]  # the positions whose next token is an answer token
        # Prompt-learning PEFT prepends virtual tokens to the outputs; keep the positions of the real tokens.
        per_token = outputs.log_probs[:, -mask.size(1) :]  # 0 where the mask is 0
        sums, counts = per_token.sum(dim=1), mask.sum(dim=1)
        average = sums / counts.clamp(min=1)
        chosen_logps, rejected_logps = average.chunk(2)
        chosen_sums, _ = sums.chunk(2)
        chosen_counts, _ = counts.chunk(2)
        nll = -chosen_sums.sum() / chosen_counts.sum().clamp(min=1)
        loss, ratio, log_odds = orpo_loss(chosen_logps, rejected_logps, nll, self.orpo_lambda)
        self._record(mode, chosen_logps.detach(), rejected_logps.detach(), nll.detach(), ratio.detach(), log_odds.detach())
        return (loss, outputs) if return_outputs else loss

    def _record(self, mode, chosen_logps, rejected_logps, nll, ratio, log_odds) -> None:
        gather = self.accelerator.gather_for_metrics
        chosen, rejected = self.orpo_lambda * chosen_logps, self.orpo_lambda * rejected_logps
        metrics = self._metrics[mode]
        metrics["rewards/chosen"].append(gather(chosen).mean().item())
        metrics["rewards/rejected"].append(gather(rejected).mean().item())
        metrics["rewards/accuracies"].append(gather((chosen > rejected).float()).mean().item())
        metrics["rewards/margins"].append(gather(chosen - rejected).mean().item())
        metrics["logps/chosen"].append(gather(chosen_logps).mean().item())
        metrics["logps/rejected"].append(gather(rejected_logps).mean().item())
        metrics["nll_loss"].append(gather(nll).mean().item())
        metrics["log_odds_ratio"].append(gather(ratio).mean().item())
        metrics["log_odds_chosen"].append(gather(log_odds).mean().item())

    def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
        """The loss only: the batch has no labels, so the Trainer's own step would compute none."""
        inputs = self._prepare_inputs(inputs)
        with torch.no_grad(), self.compute_loss_context_manager():
            loss = self.compute_loss(model, inputs)
        return loss.detach(), None, None

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        """Add the metrics averaged since the last log (an evaluation's with the eval_ prefix), like DPOTrainer."""
        mode = "train" if self.model.training else "eval"
        metrics = {key: sum(values) / len(values) for key, values in self._metrics[mode].items() if values}
        if mode == "eval":
            metrics = {f"eval_{key}": value for key, value in metrics.items()}
        logs.update(metrics)
        super().log(logs, start_time)
        self._metrics[mode].clear()
