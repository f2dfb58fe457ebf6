"""The trainer callbacks every training recipe hands its trainer, in the order they must run."""

from typing import Any

from transformers import TrainerCallback

from ..graceful_stop import GracefulStop
from .agree_across_ranks import AgreeAcrossRanks
from .budget import BudgetPlanner, BudgetUsage
from .divergence_guard import DivergenceGuard
from .early_stopping import EarlyStopping
from .report_events import ReportEvents
from .schedule import ExtendScheduleOnResume
from .stop_on_signal import StopOnSignal


def training_callbacks(
    hp: dict[str, Any],
    budget: dict[str, Any] | None,
    budget_used: BudgetUsage,
    has_eval: bool,
    report: ReportEvents,
    stop: GracefulStop,
) -> tuple[list[TrainerCallback], EarlyStopping | None]:
    """The callbacks, and the early stopping among them (None when off: it needs validation data)."""
    callbacks: list[TrainerCallback] = [DivergenceGuard()]
    if budget:
        # First: on a resume it restores the budget's plan, which the others then report and extend.
        callbacks.append(BudgetPlanner(budget, hp, budget_used, has_eval, report.counts))
    early_stopping = EarlyStopping(hp["early_stopping_patience"]) if has_eval and hp.get("early_stopping_patience") else None
    if early_stopping:
        callbacks.append(early_stopping)
    # AgreeAcrossRanks last: it merges what every rank's callbacks decided at this step end.
    callbacks += [report, StopOnSignal(stop), ExtendScheduleOnResume(), AgreeAcrossRanks(stop)]
    return callbacks, early_stopping
