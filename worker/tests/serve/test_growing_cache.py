import torch
from transformers.cache_utils import DynamicLayer

from whet_worker.serve.growing_cache import GROW, GrowingLayer


def _states(rows: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.randn(rows, 2, length, 4), torch.randn(rows, 2, length, 4)


def test_updates_match_concatenation_and_write_in_place():
    growing, plain = GrowingLayer(), DynamicLayer()
    prompt = _states(3, 5)
    growing.update(*prompt)
    plain.update(*prompt)
    buffer = growing.keys.data_ptr()
    for _ in range(GROW):  # the first buffer holds the prompt and GROW more columns: no copy of the cache
        step = _states(3, 1)
        keys, values = growing.update(*step)
        expected_keys, expected_values = plain.update(*step)
        assert torch.equal(keys, expected_keys) and torch.equal(values, expected_values)
        assert keys.data_ptr() == buffer
    assert growing.get_seq_length() == plain.get_seq_length() == 5 + GROW
    keys, _ = growing.update(*_states(3, 1))  # full: a bigger buffer, same contents
    assert keys.shape[-2] == 5 + GROW + 1 and keys.data_ptr() != buffer
    assert torch.equal(keys[:, :, : 5 + GROW], plain.keys)


def test_rows_dropped_and_columns_trimmed_from_outside_are_respected():
    growing, plain = GrowingLayer(), DynamicLayer()
    for layer in (growing, plain):
        torch.manual_seed(0)
        layer.update(*_states(4, 6))
    index = torch.tensor([0, 2])
    growing.batch_select_indices(index)  # as the running batch does when requests finish
    plain.batch_select_indices(index)
    for layer in (growing, plain):  # and trims columns no row uses any more
        layer.keys, layer.values = layer.keys[:, :, 2:], layer.values[:, :, 2:]
    step = _states(2, 1)
    keys, values = growing.update(*step)
    expected_keys, expected_values = plain.update(*step)
    assert keys.shape == (2, 2, 5, 4)
    assert torch.equal(keys, expected_keys) and torch.equal(values, expected_values)
