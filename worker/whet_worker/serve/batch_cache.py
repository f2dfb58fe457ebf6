"""The running batch's KV cache: rows join (left-padded to a common length) and leave.

Every row's keys/values sit right-aligned in one DynamicCache [rows, heads, length, dim];
`mask` marks real positions, `positions` is each row's next position id. Rows that join are
prefilled on their own cache and spliced in; rows that leave are dropped with index_select,
and columns no row uses any more are trimmed from the left, so the cache never outgrows the
longest live row by more than the padding it needs.

Splicing needs plain DynamicLayer caches (full attention). Models with other cache layers
(sliding windows, linear attention) still batch, but a new row waits until the batch drains
(`mergeable` is False).
"""

import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

from .growing_cache import GrowingLayer


class BatchCache:
    def __init__(self) -> None:
        self.cache: DynamicCache | None = None
        self.mask: torch.Tensor | None = None  # [rows, length] long
        self.positions: torch.Tensor | None = None  # [rows] long

    @property
    def rows(self) -> int:
        return 0 if self.mask is None else self.mask.shape[0]

    @property
    def mergeable(self) -> bool:
        return self.cache is None or all(type(layer) in (DynamicLayer, GrowingLayer) for layer in self.cache.layers)

    def add(self, cache: DynamicCache, mask: torch.Tensor) -> None:
        """Append rows prefilled together: `mask` [new_rows, length] is their (left-padded) attention mask."""
        positions = mask.sum(dim=1)
        if self.cache is None:
            self.cache, self.mask, self.positions = cache, mask, positions
            return
        length = max(self.mask.shape[1], mask.shape[1])
        for mine, theirs in zip(self.cache.layers, cache.layers):
            mine.keys = torch.cat([_pad_left(mine.keys, length), _pad_left(theirs.keys, length)])
            mine.values = torch.cat([_pad_left(mine.values, length), _pad_left(theirs.values, length)])
        self.mask = torch.cat([_pad_left_2d(self.mask, length), _pad_left_2d(mask, length)])
        self.positions = torch.cat([self.positions, positions])

    def step_inputs(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Attention mask and position ids for one new token per row."""
        self.mask = torch.cat([self.mask, torch.ones_like(self.mask[:, :1])], dim=1)
        position_ids = self.positions[:, None].clone()
        self.positions = self.positions + 1
        return self.mask, position_ids

    def keep(self, rows: list[int]) -> None:
        """Drop every row not listed (finished or cancelled), then trim unused left columns."""
        if not rows:
            self.cache = self.mask = self.positions = None
            return
        if len(rows) == self.rows:
            return
        index = torch.tensor(rows, device=self.mask.device)
        self.cache.batch_select_indices(index)
        self.mask, self.positions = self.mask[index], self.positions[index]
        if self.mergeable:
            start = int((self.mask.sum(dim=0) > 0).nonzero()[0])
            if start > 0:
                for layer in self.cache.layers:
                    layer.keys, layer.values = layer.keys[:, :, start:], layer.values[:, :, start:]
                self.mask = self.mask[:, start:]


def _pad_left(states: torch.Tensor, length: int) -> torch.Tensor:
    missing = length - states.shape[2]
    if missing == 0:
        return states
    pad = states.new_zeros(states.shape[0], states.shape[1], missing, states.shape[3])
    return torch.cat([pad, states], dim=2)


def _pad_left_2d(mask: torch.Tensor, length: int) -> torch.Tensor:
    missing = length - mask.shape[1]
    return mask if missing == 0 else torch.cat([mask.new_zeros(mask.shape[0], missing), mask], dim=1)
