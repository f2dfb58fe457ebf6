"""A loaded model made ready to answer: device, dtype, eval mode, and the CPU decode layouts.

One place for what serving and batch generation both do after loading, so the two run the
same kernels (a model served and the same model evaluated decode alike).
"""

import torch
from torch import nn

from .grouped_decode_attention import use_grouped_decode_attention
from .weight_layout import use_column_major_linear_weights


def ready_for_inference(model: nn.Module, device: str, dtype: torch.dtype) -> nn.Module:
    """Move to the device and dtype, switch to eval mode, and on the CPU lay the weights out for
    decoding and decode grouped-query attention without expanding the cache."""
    model.to(device=device, dtype=dtype).eval()
    if device == "cpu":
        use_column_major_linear_weights(model)
        use_grouped_decode_attention(model)
    return model
