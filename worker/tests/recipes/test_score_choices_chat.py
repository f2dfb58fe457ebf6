"""`score-choices` with method "chat" (LLaMA-Factory's eval convention) against the computation
done by hand: the shots as user/assistant turns, the subject's description before the first user
turn, the model's chat template with its generation prompt, then the letter whose token the model
ranks highest at the last position."""

import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

QUESTIONS = [
    {"question": "Which force keeps a planet in orbit?", "choices": ["light", "gravity", "wind", "heat"], "answer_index": 1, "subject": "astronomy"},
    {"question": "What is a comet made of?", "choices": ["ice and dust", "iron", "gas only", "glass"], "answer_index": 0, "subject": "astronomy"},
    {"question": "How far does light travel in a year?", "choices": ["a light year", "a parsec", "a mile", "an orbit"], "answer_index": 0, "subject": "astronomy"},
    {"question": "Who prays in a temple?", "choices": ["stars", "monks", "waves", "comets"], "answer_index": 1, "subject": "world_religions"},
    {"question": "Which is a sacred text?", "choices": ["a map", "a law", "a scripture", "a bill"], "answer_index": 2, "subject": "world_religions"},
]
DEV = [
    {"question": "What orbits the Earth?", "choices": ["the Moon", "Mars", "the Sun", "Venus"], "answer_index": 0, "subject": "astronomy"},
    {"question": "Where do monks live?", "choices": ["a ship", "a monastery", "a mine", "a cave"], "answer_index": 1, "subject": "world_religions"},
]


def user_turn(row: dict) -> str:
    return row["question"] + "".join(f"\n{letter}. {c}" for letter, c in zip("ABCD", row["choices"])) + "\nAnswer:"


def by_hand(model, tokenizer, row: dict, shot: dict) -> int:
    """LLaMA-Factory's eval: 1 shot as a user/assistant exchange, the description first."""
    about = row["subject"].replace("_", " ")
    messages = [
        {"role": "user", "content": f"The following are multiple choice questions (with answers) about {about}.\n\n" + user_turn(shot)},
        {"role": "assistant", "content": "ABCD"[shot["answer_index"]]},
        {"role": "user", "content": user_turn(row)},
    ]
    text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    assert text.endswith("<|im_start|>assistant\n")
    ids = tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids
    with torch.no_grad():
        last = model(input_ids=ids).logits[0, -1]
    letters = [tokenizer.encode(letter, add_special_tokens=False)[-1] for letter in "ABCD"]
    return int(torch.argmax(last[letters]))


def test_chat_picks_equal_the_letter_the_model_ranks_highest_after_its_template(run_worker, tmp_path, sharp_model):
    questions, dev, output = tmp_path / "test.jsonl", tmp_path / "dev.jsonl", tmp_path / "scores.jsonl"
    questions.write_text("".join(json.dumps(r) + "\n" for r in QUESTIONS))
    dev.write_text("".join(json.dumps(r) + "\n" for r in DEV))
    spec = {"version": 1, "command": "score-choices", "model": {"path": str(sharp_model), "chat_template": None}, "adapter": None,
            "questions_path": str(questions), "fewshot_path": str(dev), "output_path": str(output), "num_fewshot": 1,
            "template": "mmlu", "method": "chat", "batch_size": 2, "device": "cpu", "threads": None, "dtype": "auto"}
    run = run_worker(spec, "score-choices")
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [json.loads(line) for line in output.read_text().splitlines()]

    model = AutoModelForCausalLM.from_pretrained(sharp_model, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(sharp_model)
    shots = {r["subject"]: r for r in DEV}
    want = [by_hand(model, tokenizer, row, shots[row["subject"]]) for row in QUESTIONS]
    assert [line["pred"] for line in lines] == want
    assert len(set(want)) > 1, "the model picks one letter for every question: the comparison would prove little"
    assert run.one("choices_scored")["acc"] == sum(p == r["answer_index"] for p, r in zip(want, QUESTIONS)) / len(QUESTIONS)
