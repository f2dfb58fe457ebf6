"""A KV cache layer that writes each decode step in place instead of copying the whole cache.

transformers' DynamicLayer appends with torch.cat: every decode step copies every layer's keys
and values, which was a fifth of a batch-8 decode step on SmolLM2-135M (13.8 of 68 ms). Here
keys/values are views into buffers with room to the right; a step writes one column, and the
buffer grows by GROW columns when full. When something else replaces `keys`/`values` (the
running batch splices rows in, drops rows, trims columns: serve/batch_cache.py), the next
update sees they are no longer a prefix of its buffer and copies them into a fresh one.
"""

import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

GROW = 64  # spare columns per (re)allocation


class GrowingLayer(DynamicLayer):
    def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        super().lazy_initialization(key_states, value_states)
        self._key_buffer: torch.Tensor | None = None
        self._value_buffer: torch.Tensor | None = None

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args, **kwargs) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        length = self.keys.shape[-2] if self.keys.dim() == 4 else 0
        needed = length + key_states.shape[-2]
        if not self._holds(length, needed, key_states):
            self._reallocate(length, needed + GROW, key_states, value_states)
        self._key_buffer[:, :, length:needed] = key_states
        self._value_buffer[:, :, length:needed] = value_states
        self.keys = self._key_buffer[:, :, :needed]
        self.values = self._value_buffer[:, :, :needed]
        return self.keys, self.values

    def _holds(self, length: int, needed: int, key_states: torch.Tensor) -> bool:
        """True when keys/values are still the first `length` columns of our buffers and `needed` fits."""
        buffer = self._key_buffer
        if buffer is None or buffer.shape[-2] < needed or buffer.shape[0] != key_states.shape[0]:
            return False
        if length == 0:
            return True
        return self.keys.data_ptr() == buffer.data_ptr() and self.values.data_ptr() == self._value_buffer.data_ptr() and self.keys.stride() == buffer.stride()

    def _reallocate(self, length: int, capacity: int, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        rows, heads, _, key_dim = key_states.shape
        keys = key_states.new_empty(rows, heads, capacity, key_dim)
        values = value_states.new_empty(rows, value_states.shape[1], capacity, value_states.shape[-1])
        if length:
            keys[:, :, :length] = self.keys
            values[:, :, :length] = self.values
        self._key_buffer, self._value_buffer = keys, values


def growing_cache(config) -> DynamicCache:
    """A DynamicCache for `config` whose full-attention layers grow in place; other layer kinds stay as they are."""
    cache = DynamicCache(config=config)
    cache.layers = [GrowingLayer() if type(layer) is DynamicLayer else layer for layer in cache.layers]
    return cache
