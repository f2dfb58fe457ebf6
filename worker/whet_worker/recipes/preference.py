"""What the two preference recipes (dpo.py, orpo.py) add to the run every method shares (training.py).

The preference data (components/preference_data.py, the columns the trainer takes), the method's
settings in one log line, a held-out evaluation at step 0, `preference` on every progress and eval
event, an adapter on the output head refused (the trainers read the head's weight directly), and
`preference: {before, after}` in the result: the held-out metrics at step 0 and of the result model.
lr_search trials are scored by the preference loss on held-out pairs.
"""

from typing import Any

from accelerate.utils import is_peft_model
from datasets import Dataset
from peft.tuners.tuners_utils import BaseTunerLayer

from ..components.preference_data import build_preference_data
from ..components.report_events import preference_metrics
from ..components.result_evaluation import evaluation_at_start, evaluation_of_result
from ..components.tuning import Tuned, apply_tuning
from ..errors import WorkerError
from ..events import emit
from .training import TrainingRecipe


class PreferenceRecipe(TrainingRecipe):
    """A subclass sets `method`, `config_class` and `columns`, and builds its trainer (build_trainer)."""

    method = ""  # "dpo" | "orpo"
    columns: list[str] = []  # the preference data's columns the trainer takes
    eval_on_start = True  # the held-out preference accuracy before the first step, the curve's step-0 point
    report_preference = True

    def describe(self) -> str:
        """One log line: the method's settings."""
        return ""

    def build_data(self) -> tuple[Dataset, Dataset | None]:
        data = build_preference_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        emit("log", level="info", message=self.describe())
        evaluation = data.eval.select_columns(self.columns) if data.eval is not None else None
        return data.train.select_columns(self.columns), evaluation

    def training_fields(self, hp: dict[str, Any]) -> dict[str, Any]:
        """The method's own fields of its trainer arguments, beside the ones every preference method sets."""
        return {}

    def method_args(self, hp: dict[str, Any]) -> dict[str, Any]:
        return {"include_num_input_tokens_seen": "non_padding", **self.training_fields(hp)}  # chosen and rejected rows, padding left out

    def tune(self, model) -> Tuned:
        tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        if is_peft_model(tuned.model) and isinstance(tuned.model.get_output_embeddings(), BaseTunerLayer):
            raise WorkerError(
                "INVALID_HYPERPARAMETER",
                f"{self.method}: lora_target includes the output head; preference training reads the head's weight directly "
                "to score answers, so an adapter on it would never train",
                'Leave the head (lm_head) out of lora_target, or use "all-linear".',
            )
        return tuned

    def result_extras(self) -> dict[str, Any]:
        if not self.has_eval:
            return {"preference": None}
        before, after = evaluation_at_start(self.trainer), evaluation_of_result(self.trainer, self.has_eval)
        return {"preference": {"before": before and preference_metrics(before, "eval_"), "after": after and preference_metrics(after, "eval_")}}
