"""DoRA adapters in PEFT's mixed-adapter batches.

PEFT's lora.Linear refuses `adapter_names` as soon as one of the names is a DoRA adapter
("Cannot pass `adapter_names` when DoRA is enabled"), although its `_mixed_batch_forward` runs
each adapter's variant, DoRA's included, on that adapter's own rows. In the server every forward
passes `adapter_names`, so a loaded DoRA adapter would fail every batch it is in. The linear
layers are switched (in place, as fused_lora.py does for training) to a subclass whose check
skips only that refusal; the rest of PEFT's checks still run.

What it costs: DoRA rows recompute each layer's weight norm ||W + s·B·A|| every forward (PEFT's
DoRA caching would keep a full-size B·A per layer and adapter, too much memory for a server).
tests/serve/test_tuned_adapters.py checks DoRA answers, alone and mixed with other adapters,
against PEFT's own single-adapter forward.
"""

from peft.tuners.lora import layer as lora_layer
from torch import nn

BASE = "__base__"


class MixedBatchLinear(lora_layer.Linear):
    def _check_forward_args(self, x, *args, **kwargs):
        names = kwargs.get("adapter_names")
        if names is not None:
            # DoRA rows are checked as base rows: length and merge checks stay PEFT's.
            kwargs = {**kwargs, "adapter_names": [BASE if self.use_dora.get(name, False) else name for name in names]}
        super()._check_forward_args(x, *args, **kwargs)


def allow_dora_in_mixed_batches(model: nn.Module) -> int:
    """Switch every plain `lora.Linear` to MixedBatchLinear; returns how many."""
    switched = 0
    for module in model.modules():
        if type(module) is lora_layer.Linear:
            module.__class__ = MixedBatchLinear
            switched += 1
    return switched
