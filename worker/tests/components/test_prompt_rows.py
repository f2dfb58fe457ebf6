"""Prompt rows of `generate`: parsing with line-named errors, few-shot placement, encoding."""

import pytest

from whet_worker.components.prompt_rows import encode_prompt, read_prompt_rows, with_few_shot
from whet_worker.components.model_loader import load_model
from whet_worker.errors import WorkerError

SHOTS = [{"role": "user", "content": "1+1?"}, {"role": "assistant", "content": "2"}]


def test_reads_chat_and_raw_rows_with_ids(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": 7, "messages": [{"role": "user", "content": "hi"}]}\n\n{"prompt": "Once upon"}\n', encoding="utf-8")
    rows = read_prompt_rows(str(path))
    assert [(r.index, r.id, r.prompt) for r in rows] == [(0, 7, None), (1, None, "Once upon")]
    assert rows[0].messages == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "line 2: not valid JSON"),
        ('["a"]', "line 2: not a JSON object"),
        ('{"prompt": "a", "messages": []}', 'line 2: give exactly one of "messages" or "prompt"'),
        ('{"messages": [{"role": "bot", "content": "x"}]}', "line 2: messages[0] must be"),
        ('{"prompt": 3}', 'line 2: "prompt" must be a string'),
    ],
)
def test_a_bad_line_is_named(tmp_path, line, message):
    path = tmp_path / "p.jsonl"
    path.write_text('{"prompt": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(WorkerError) as err:
        read_prompt_rows(str(path))
    assert err.value.code == "DATASET_INVALID"
    assert message in err.value.message


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n \n", encoding="utf-8")
    with pytest.raises(WorkerError) as err:
        read_prompt_rows(str(path))
    assert err.value.code == "DATASET_EMPTY"


def test_few_shot_turns_go_after_the_system_message():
    user = [{"role": "user", "content": "q"}]
    system = [{"role": "system", "content": "s"}, *user]
    assert with_few_shot(user, SHOTS) == [*SHOTS, *user]
    assert with_few_shot(system, SHOTS) == [system[0], *SHOTS, *user]
    assert with_few_shot(user, []) == user


def test_encoding_uses_the_chat_template_and_the_few_shot_prefix(tiny_model, tmp_path):
    import torch

    _, tokenizer = load_model(str(tiny_model), None, torch.float32)
    path = tmp_path / "p.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "q"}]}\n{"prompt": "Once"}\n', encoding="utf-8")
    chat, raw = read_prompt_rows(str(path))
    plain = tokenizer.decode(encode_prompt(chat, tokenizer, [], ""))
    assert plain == "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n"
    shot = tokenizer.decode(encode_prompt(chat, tokenizer, SHOTS, ""))
    assert shot == "<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n2<|im_end|>\n" + plain
    assert tokenizer.decode(encode_prompt(raw, tokenizer, SHOTS, "Example: Twice.\n")) == "Example: Twice.\nOnce"
