"""`python -m whet_worker generate SPEC` on the tiny model: batched equals one at a time, few-shot,
seeded sampling, per-row context errors, and the failures a person can act on."""

import json

import pytest

QUESTIONS = [
    "What is two plus two?",
    "中国的首都是哪里？",
    "Name a primary color, then tell me more about colors in general, please.",
    "x",
    "How many legs does a spider have?",
    "What is the capital of France?",
]


def write_prompts(path, extra_lines=()):
    with path.open("w", encoding="utf-8") as f:
        for i, q in enumerate(QUESTIONS):
            f.write(json.dumps({"id": f"q{i}", "messages": [{"role": "user", "content": q}]}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "raw", "prompt": "The capital of France is"}) + "\n")
        for line in extra_lines:
            f.write(line + "\n")
    return path


@pytest.fixture
def gen_spec(tmp_path, tiny_model):
    prompts = write_prompts(tmp_path / "prompts.jsonl")

    def make(name: str, **overrides) -> dict:
        spec = {
            "version": 1,
            "command": "generate",
            "model": {"path": str(tiny_model), "chat_template": None},
            "input_path": str(prompts),
            "output_path": str(tmp_path / f"{name}.jsonl"),
            # A repetition penalty makes the random model's greedy output vary, so equality means something.
            "generation": {"max_tokens": 10, "temperature": 0, "top_p": 1, "top_k": 0, "repetition_penalty": 1.8, "seed": 0},
            "batch_size": 4,
            "device": "cpu",
            "threads": 1,
        }
        spec.update(overrides)
        return spec

    return make


def read_lines(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


LONG = json.dumps({"id": "long", "prompt": "word " * 600})


def test_batched_greedy_equals_one_at_a_time_and_a_too_long_row_gets_an_error(gen_spec, run_worker, tmp_path):
    prompts = str(write_prompts(tmp_path / "with-long.jsonl", [LONG]))
    batched = run_worker(gen_spec("batched", input_path=prompts), "generate")
    assert batched.returncode == 0, batched.stderr[-3000:]
    progress = batched.of("generate_progress")
    # The too-long row counts as done from the start; the other 7 run in batches of 4.
    assert [p["done"] for p in progress] == [5, 8] and all(p["total"] == 8 for p in progress)
    done = batched.one("generated")
    assert done["rows"] == 8 and done["completion_tokens"] > 0

    single = run_worker(gen_spec("single", input_path=prompts, batch_size=1), "generate")
    assert single.returncode == 0, single.stderr[-3000:]
    assert len(single.of("generate_progress")) == 7

    a, b = read_lines(done["output_path"]), read_lines(single.one("generated")["output_path"])
    assert [line["id"] for line in a] == [f"q{i}" for i in range(6)] + ["raw", "long"]  # input order, not length order
    assert [line["index"] for line in a] == list(range(8))
    assert [line["prediction"] for line in a] == [line["prediction"] for line in b]
    assert len({line["prediction"] for line in a[:7]}) > 2  # not one degenerate answer for every row
    assert all(line["finish_reason"] in ("stop", "length") and 0 < line["completion_tokens"] <= 10 for line in a[:7])
    assert all("error" not in line for line in a[:7])
    assert a[6]["prompt_tokens"] < a[0]["prompt_tokens"]  # the raw prompt has no template around it

    assert a[7]["error"]["code"] == "CONTEXT_LENGTH_EXCEEDED"
    assert "with max_tokens 10 it exceeds the context length 512" in a[7]["error"]["message"]
    assert a[7]["prediction"] == "" and a[7]["finish_reason"] is None and a[7]["prompt_tokens"] > 512


def test_few_shot_prefix_and_seeded_sampling(gen_spec, run_worker, tiny_model):
    from tokenizers import Tokenizer

    shots = [{"role": "user", "content": "What is one plus one?"}, {"role": "assistant", "content": "Two."}]
    sampling = {"max_tokens": 8, "temperature": 1.0, "top_p": 0.95, "top_k": 0, "repetition_penalty": 1.0, "seed": 11}
    first = run_worker(gen_spec("shot1", few_shot=shots, generation=sampling, batch_size=7), "generate")
    second = run_worker(gen_spec("shot2", few_shot=shots, generation=sampling, batch_size=7), "generate")
    assert first.returncode == 0 and second.returncode == 0, first.stderr[-3000:]
    a = read_lines(first.one("generated")["output_path"])
    b = read_lines(second.one("generated")["output_path"])
    assert [x["prediction"] for x in a] == [x["prediction"] for x in b]  # same seed, same samples

    # The example turns sit before every chat row's question (ChatML, the tiny model's template).
    tok = Tokenizer.from_file(str(tiny_model / "tokenizer.json"))
    turn = lambda role, text: f"<|im_start|>{role}\n{text}<|im_end|>\n"  # noqa: E731
    prefix = turn("user", shots[0]["content"]) + turn("assistant", shots[1]["content"])
    for row, question in zip(a[:6], QUESTIONS):
        text = prefix + turn("user", question) + "<|im_start|>assistant\n"
        assert row["prompt_tokens"] == len(tok.encode(text, add_special_tokens=False).ids)
    assert a[6]["prompt_tokens"] == len(tok.encode("The capital of France is").ids)  # raw rows take few_shot_text only


def test_a_cached_few_shot_prefix_gives_the_plain_batched_answers(gen_spec, run_worker, tmp_path):
    shots = [
        {"role": "user", "content": "What is one plus one?"}, {"role": "assistant", "content": "Two."},
        {"role": "user", "content": "What is the capital of Italy?"}, {"role": "assistant", "content": "Rome."},
        {"role": "user", "content": "中国的首都是哪里？"}, {"role": "assistant", "content": "北京。"},
    ]
    chat_only = tmp_path / "chat-only.jsonl"  # a raw row would share no prefix with the chat rows
    chat_only.write_text("".join(json.dumps({"id": f"q{i}", "messages": [{"role": "user", "content": q}]}, ensure_ascii=False) + "\n"
                                 for i, q in enumerate(QUESTIONS)), encoding="utf-8")
    greedy = {"max_tokens": 10, "temperature": 0, "top_p": 1, "top_k": 0, "repetition_penalty": 3.0, "seed": 0}
    common = dict(input_path=str(chat_only), few_shot=shots, generation=greedy)
    cached = run_worker(gen_spec("cached", **common), "generate")
    plain = run_worker(gen_spec("plain", prefix_cache=False, **common), "generate")
    assert cached.returncode == 0 and plain.returncode == 0, cached.stderr[-3000:] + plain.stderr[-3000:]
    said = [e["message"] for e in cached.of("log")]
    assert any("the 6 prompts share a prefix of" in m for m in said), said
    assert not any("share a prefix" in e["message"] for e in plain.of("log"))
    a = read_lines(cached.one("generated")["output_path"])
    b = read_lines(plain.one("generated")["output_path"])
    assert [(x["id"], x["prediction"], x["completion_tokens"], x["prompt_tokens"]) for x in a] == \
        [(x["id"], x["prediction"], x["completion_tokens"], x["prompt_tokens"]) for x in b]
    assert len({x["prediction"] for x in a}) > 2
    assert [p["done"] for p in cached.of("generate_progress")] == [4, 6]


def test_bad_input_fails_with_the_line_named(gen_spec, run_worker, tmp_path):
    bad = run_worker(gen_spec("bad", input_path=str(write_prompts(tmp_path / "bad-prompts.jsonl", ['{"prompt": 1}']))), "generate")
    assert bad.returncode == 1
    error = bad.one("error")
    assert error["code"] == "DATASET_INVALID"
    assert error["message"].endswith('bad-prompts.jsonl line 8: "prompt" must be a string')
    assert not (tmp_path / "bad.jsonl").exists() and not (tmp_path / "bad.jsonl.partial").exists()  # no output at all

    spec = gen_spec("nospec")
    del spec["input_path"]
    invalid = run_worker(spec, "generate")
    assert invalid.returncode == 2
    assert "input_path" in invalid.one("error")["message"] and invalid.one("error")["code"] == "WORKER_SPEC_INVALID"


def test_labels_constrain_every_answer_greedy_and_sampled(gen_spec, run_worker, tmp_path):
    labels = ["pos", "positive", "negative"]
    for temperature in (0, 1.0):
        spec = gen_spec(f"labels-{temperature}", labels=labels, batch_size=3,
                        generation={"max_tokens": 1, "temperature": temperature, "top_p": 1, "top_k": 0, "repetition_penalty": 1, "seed": 3})
        run = run_worker(spec, "generate")
        assert run.returncode == 0, run.stderr[-2000:]
        lines = read_lines(spec["output_path"])
        assert len(lines) == len(QUESTIONS) + 1
        assert all(line["prediction"] in labels for line in lines), [line["prediction"] for line in lines]
        assert all(line["finish_reason"] == "stop" for line in lines)
    free = gen_spec("free", batch_size=3)
    assert run_worker(free, "generate").returncode == 0
    assert any(line["prediction"] not in labels for line in read_lines(free["output_path"]))
