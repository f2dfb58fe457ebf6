"""The label trie on the tiny model's tokenizer: which tokens may follow, and labels as the chat template writes them."""

import pytest
from transformers import AutoTokenizer

from whet_worker.components.label_constraint import LabelTrie, build_label_trie, label_token_ids
from whet_worker.errors import WorkerError

LABELS = ["pos", "positive", "negative"]


def test_a_trie_allows_each_labels_next_token_and_the_end_only_after_a_whole_label():
    trie = LabelTrie([[1, 2], [1, 2, 3], [4]], end_ids={99})
    assert sorted(trie.allowed([])) == [1, 4]
    assert trie.allowed([1]) == [2]
    assert sorted(trie.allowed([1, 2])) == [3, 99]  # "pos" may end here or go on to "positive"
    assert trie.allowed([1, 2, 3]) == [99]
    assert trie.allowed([4, 99]) is None  # ended: off the trie
    assert trie.depth == 3


def test_a_model_without_an_end_token_is_refused():
    with pytest.raises(WorkerError) as e:
        LabelTrie([[1]], end_ids=set())
    assert e.value.code == "INVALID_REQUEST" and "EOS" in e.value.message


def test_labels_are_tokenized_as_the_assistant_turn_and_decode_back_to_themselves(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    end_ids = {tokenizer.convert_tokens_to_ids("<|im_end|>"), tokenizer.eos_token_id} - {None}
    for chat in (True, False):
        ids = label_token_ids(tokenizer, LABELS, chat, end_ids)
        assert [tokenizer.decode(i, skip_special_tokens=True) for i in ids] == LABELS
        assert not any(t in end_ids for seq in ids for t in seq)
    trie = build_label_trie(tokenizer, LABELS, True, end_ids)
    # Every path through the trie spells a label.
    def walk(prefix):
        for token in trie.allowed(prefix):
            if token in end_ids:
                yield prefix
            else:
                yield from walk([*prefix, token])
    assert sorted(tokenizer.decode(p) for p in walk([])) == sorted(LABELS)
