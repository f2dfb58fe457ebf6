"""Stop a run whose loss became NaN or infinite, instead of training on garbage."""

import math

from transformers import TrainerCallback

from ..errors import WorkerError


class DivergenceGuard(TrainerCallback):
    """Needs `logging_nan_inf_filter=False`, or the trainer hides the bad loss from the logs."""

    def on_log(self, args, state, control, logs=None, **kwargs):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            raise WorkerError(
                "TRAINING_DIVERGED",
                f"The training loss became {loss} at step {state.global_step} (learning rate {logs.get('learning_rate')})",
            )
