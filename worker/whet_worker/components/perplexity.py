"""Perplexity: exp of the mean token loss, the pre-training measure of how well a model predicts text."""

import math


def perplexity(loss: float | None) -> float | None:
    """None without a loss, or when it is not finite or too large for a float (exp overflows past ~709)."""
    if loss is None or not math.isfinite(loss):
        return None
    try:
        return math.exp(loss)
    except OverflowError:
        return None
