"""The text a client sees: incremental detokenization and stop sequences, on the tiny tokenizer."""

from transformers import AutoTokenizer

from whet_worker.serve.incremental_detokenizer import IncrementalDetokenizer
from whet_worker.serve.stop_sequences import StopSequences


def test_deltas_rebuild_the_text_and_never_split_a_character(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    text = "Hello 北京 ünïcode 🙂 two  spaces"
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert len(ids) > len(text.split())  # some characters span several byte tokens
    detokenizer = IncrementalDetokenizer(tokenizer, tokenizer("Q:", add_special_tokens=False)["input_ids"])
    deltas = [detokenizer.push(token) for token in ids]
    assert "".join(deltas) == text
    assert not any("\ufffd" in d for d in deltas)
    assert "" in deltas  # a partial character was held back, not sent broken


def test_stop_sequences_hold_back_what_may_become_one():
    stops = StopSequences(["\nUser:", "###"])
    sent = [stops.push(piece) for piece in ["Hello", " wor", "ld\n", "Us", "er: more"]]
    assert sent == ["Hello", " wor", "ld", "", ""] and stops.stopped
    other = StopSequences(["###"])
    assert other.push("a#") == "a" and other.push("#b") == "##b" and not other.stopped
    assert other.push("c#") == "c" and other.flush() == "#"
    assert StopSequences([]).push("x###") == "x###"
