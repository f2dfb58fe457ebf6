"""Report training as protocol events: plan (and its first measured estimate), progress, eval, checkpoint.

With `report_perplexity` (pre-training), every eval event also carries exp(eval_loss). With
`report_preference` (dpo, orpo), every progress and eval event carries `preference`: TRL's
rewards/chosen, rewards/rejected, rewards/margins and rewards/accuracies of the step (eval: their
eval_ versions over the held-out pairs), or null when the logs lack one or it is not finite.
"""

import math
import time

from transformers import TrainerCallback

from ..events import emit
from .perplexity import perplexity
from .stop_on_signal import checkpoint_path

MEASURED_STEPS = 3
# The preference event field's names and the trainers' log keys (DPOTrainer and our ORPO trainer log the same).
PREFERENCE_KEYS = {
    "chosen": "rewards/chosen",
    "rejected": "rewards/rejected",
    "margin": "rewards/margins",
    "accuracy": "rewards/accuracies",
}


def token_accuracy(logs: dict, prefix: str = "") -> dict[str, float]:
    """TRL's mean_token_accuracy (eval_: over the held-out rows) as an event field, when logged and finite."""
    value = logs.get(prefix + "mean_token_accuracy")
    return {"mean_token_accuracy": float(value)} if isinstance(value, (int, float)) and math.isfinite(value) else {}


def preference_metrics(logs: dict, prefix: str = "") -> dict[str, float] | None:
    """The preference field from a log dict (`prefix` "eval_" for an evaluation's), None when incomplete."""
    values = {name: logs.get(prefix + key) for name, key in PREFERENCE_KEYS.items()}
    if any(not isinstance(v, (int, float)) or not math.isfinite(v) for v in values.values()):
        return None
    return {name: float(v) for name, v in values.items()}


class ReportEvents(TrainerCallback):
    def __init__(
        self,
        train_samples: int,
        eval_samples: int,
        trainable_params: int,
        total_params: int,
        estimate: bool = True,
        report_perplexity: bool = False,
        report_preference: bool = False,
        dtype: dict[str, str] | None = None,
    ) -> None:
        self.counts = dict(
            train_samples=train_samples,
            eval_samples=eval_samples,
            trainable_params=trainable_params,
            total_params=total_params,
        )
        self.dtype = dtype or {}  # the first plan's `dtype` and `dtype_reason`
        self.last_loss: float | None = None
        self.estimate = estimate  # False when a BudgetPlanner reports the plans
        self.report_perplexity = report_perplexity
        self.report_preference = report_preference
        self._measure_from: tuple[float, int] | None = None
        self._clock = 0.0
        self._tokens = 0

    def on_train_begin(self, args, state, control, train_dataloader=None, **kwargs):
        steps_per_epoch = max(math.ceil(len(train_dataloader) / args.gradient_accumulation_steps), 1)
        epochs = args.num_train_epochs if args.max_steps <= 0 else state.max_steps / steps_per_epoch
        self.steps_per_epoch = steps_per_epoch
        emit("plan", reason="initial", total_steps=state.max_steps, epochs=epochs, steps_per_epoch=steps_per_epoch, **self.counts, **self.dtype)
        self._clock, self._tokens = time.perf_counter(), state.num_input_tokens_seen
        self._measure_from = None

    def on_step_end(self, args, state, control, **kwargs):
        """Once a few steps are timed, say how long the run will take (the first step warms caches, so it is left out)."""
        if not self.estimate:
            return
        if self._measure_from is None:
            self._measure_from = (time.perf_counter(), state.global_step)
        elif state.global_step - self._measure_from[1] == MEASURED_STEPS:
            per_step = (time.perf_counter() - self._measure_from[0]) / MEASURED_STEPS
            emit(
                "plan",
                reason="measured",
                total_steps=state.max_steps,
                epochs=state.max_steps / self.steps_per_epoch,
                steps_per_epoch=self.steps_per_epoch,
                seconds_per_step=per_step,
                estimated_seconds=per_step * (state.max_steps - state.global_step),
                **self.counts,
            )

    def on_log(self, args, state, control, logs=None, **kwargs):
        if "loss" not in (logs or {}):
            return  # eval metrics and the end-of-training summary come through here too
        now = time.perf_counter()
        tokens_per_sec = (state.num_input_tokens_seen - self._tokens) / (now - self._clock) if now > self._clock else None
        self._clock, self._tokens = now, state.num_input_tokens_seen
        self.last_loss = logs["loss"]
        extra = {"preference": preference_metrics(logs)} if self.report_preference else {}
        extra.update(token_accuracy(logs))
        emit(
            "progress",
            step=state.global_step,
            total_steps=state.max_steps,
            epoch=state.epoch,
            loss=logs["loss"],
            learning_rate=logs.get("learning_rate"),
            grad_norm=logs.get("grad_norm"),
            tokens_per_sec=tokens_per_sec,
            tokens_seen=int(state.num_input_tokens_seen),
            **extra,
        )

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        if not metrics or "eval_loss" not in metrics:
            return
        loss = metrics["eval_loss"]
        extra = {"perplexity": perplexity(loss)} if self.report_perplexity else {}
        if self.report_preference:
            extra["preference"] = preference_metrics(metrics, prefix="eval_")
        extra.update(token_accuracy(metrics, prefix="eval_"))
        emit("eval", step=state.global_step, epoch=state.epoch, eval_loss=loss, **extra)

    def on_save(self, args, state, control, **kwargs):
        emit("checkpoint", step=state.global_step, path=checkpoint_path(args, state))
