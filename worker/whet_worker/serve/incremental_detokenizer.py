"""Token ids -> text deltas as they are made, never splitting a UTF-8 character.

A byte-level BPE token may hold half of a character; decoding it alone gives U+FFFD. The
delta is held back until the bytes complete. A few prompt tokens are kept as context so
tokenizers that drop a leading space at the start of a decode (SentencePiece) stay right.
"""

from transformers import PreTrainedTokenizerBase

_CONTEXT = 5


class IncrementalDetokenizer:
    def __init__(self, tokenizer: PreTrainedTokenizerBase, prompt_ids: list[int]) -> None:
        self.tokenizer = tokenizer
        self.ids = list(prompt_ids[-_CONTEXT:])
        self.prefix_offset = 0
        self.read_offset = len(self.ids)

    def push(self, token: int) -> str:
        """Add one token; return the text it completes ("" while a character is still partial)."""
        self.ids.append(token)
        prefix = self._decode(self.ids[self.prefix_offset : self.read_offset])
        full = self._decode(self.ids[self.prefix_offset :])
        if len(full) > len(prefix) and not full.endswith("\ufffd"):
            self.prefix_offset, self.read_offset = self.read_offset, len(self.ids)
            return full[len(prefix) :]
        return ""

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)
