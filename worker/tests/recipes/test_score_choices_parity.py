"""`python -m whet_worker score-choices SPEC` against EleutherAI's lm-evaluation-harness on the
tiny model: the harness's own evaluator (HFLM on the model folder, its installed MMLU and CMMLU
templates, run offline on local task files) and our scorer read the same questions; every
question's chosen answer and every accuracy must be equal."""

import json
import os
import random

import pytest

from whet_worker.components.harness_tasks import write_harness_tasks
from whet_worker.components.mc_prompts import read_questions

# Two subjects of 5 questions each: enough for per-subject accuracy, dev-file shots (MMLU) and
# first-n shots from the questions themselves (CMMLU, where a subject's first question has other shots).
SUBJECTS = ["high_school_physics", "world_religions"]
ZH_SUBJECTS = ["农学", "天文学"]
PER_SUBJECT = 5


def make_questions(subjects: list[str], per_subject: int, seed: int, chinese: bool = False) -> list[dict]:
    rnd = random.Random(seed)
    words = ["light", "mass", "orbit", "temple", "prayer", "comet", "force", "star", "energy", "wave"]
    if chinese:
        words = ["水稻", "土壤", "星系", "行星", "光年", "肥料", "彗星", "种子", "温度", "引力"]
    rows = []
    for subject in subjects:
        for _ in range(per_subject):
            question = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 9))) + ("？" if chinese else "?")
            choices = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 4))) for _ in range(4)]
            rows.append({"question": question, "choices": choices, "answer_index": rnd.randrange(4), "subject": subject})
    return rows


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def harness_lm(sharp_model):
    """The harness's HFLM on the model folder, loaded once for both cases."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from lm_eval.models.huggingface import HFLM

    return HFLM(pretrained=str(sharp_model), device="cpu", dtype="float32", batch_size=8)


def harness_predictions(tmp_path, lm, template, questions_path, fewshot_path, k):
    """Per subject task: each question's argmax over the harness's log-likelihoods, and its acc."""
    from lm_eval import evaluator
    from lm_eval.tasks import TaskManager

    questions = read_questions(str(questions_path))
    shots = read_questions(str(fewshot_path)) if fewshot_path else None
    folder = tmp_path / f"harness-{template}-{k}"
    names = write_harness_tasks(folder, template, questions, shots)
    tasks = TaskManager(include_path=str(folder), include_defaults=False)  # indexing the built-in tasks takes ~17 s
    out = evaluator.simple_evaluate(model=lm, tasks=names, num_fewshot=k, task_manager=tasks,
                                    log_samples=True, random_seed=0, numpy_random_seed=0, torch_random_seed=0, fewshot_random_seed=0)
    lls, norms = [], []
    for name in names:
        for sample in sorted(out["samples"][name], key=lambda s: s["doc_id"]):
            lls.append([float(r[0]) for r in sample["filtered_resps"]])
            norms.append(sample["acc_norm"])
    accs = {name: out["results"][name]["acc,none"] for name in names}
    return lls, norms, accs


def our_predictions(run_worker, tmp_path, model_path, template, questions_path, fewshot_path, k, batch_size):
    output = tmp_path / f"ours-{template}-{k}.jsonl"
    spec = {"version": 1, "command": "score-choices", "model": {"path": str(model_path), "chat_template": None}, "adapter": None,
            "questions_path": str(questions_path), "fewshot_path": str(fewshot_path) if fewshot_path else None, "output_path": str(output),
            "num_fewshot": k, "template": template, "method": "loglikelihood", "batch_size": batch_size, "device": "cpu", "threads": None, "dtype": "auto"}
    run = run_worker(spec, "score-choices")
    assert run.returncode == 0, run.stderr[-3000:]
    scored = run.one("choices_scored")
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return lines, scored


def per_subject_acc(lines):
    by: dict[str, list[int]] = {}
    for line in lines:
        by.setdefault(line["subject"], []).append(int(line["pred"] == line["answer"]))
    return [sum(v) / len(v) for v in by.values()]


@pytest.mark.parametrize("template,k,dev", [("mmlu", 2, True), ("cmmlu", 1, False)])
def test_every_choice_and_accuracy_equal_the_harness(run_worker, tmp_path, sharp_model, harness_lm, template, k, dev):
    chinese = template != "mmlu"
    subjects = ZH_SUBJECTS if chinese else SUBJECTS
    questions = write_jsonl(tmp_path / f"{template}-test.jsonl", make_questions(subjects, PER_SUBJECT, seed=1, chinese=chinese))
    fewshot = write_jsonl(tmp_path / f"{template}-dev.jsonl", make_questions(subjects, k, seed=2, chinese=chinese)) if dev else None

    want_lls, want_norms, want_accs = harness_predictions(tmp_path, harness_lm, template, questions, fewshot, k)
    lines, scored = our_predictions(run_worker, tmp_path, sharp_model, template, questions, fewshot, k, batch_size=5)

    # Equal log-likelihoods mean equal prompts and tokens: they move by far more than the
    # tolerance from question to question, and with any change to a prompt. Quiet runs differ by
    # ~2e-6; the "sharp" model's large logits make float32 log-softmax sensitive to summation order
    # (another batch shape or thread split: 2.2e-4 seen on a loaded CI box), hence 1e-3.
    got_lls = [line["loglikelihoods"] for line in lines]
    assert max(abs(a - b) for got, want in zip(got_lls, want_lls) for a, b in zip(got, want)) < 1e-3
    spread = max(row[0] for row in want_lls) - min(row[0] for row in want_lls)
    assert spread > 0.05, f"the log-likelihood of A hardly moves between questions ({spread:.4f}): the comparison would prove little"
    assert [line["pred"] for line in lines] == [row.index(max(row)) for row in want_lls]
    assert [float(line["pred_norm"] == line["answer"]) for line in lines] == want_norms
    assert per_subject_acc(lines) == list(want_accs.values())
    assert scored["acc"] == sum(line["pred"] == line["answer"] for line in lines) / len(lines)
    assert scored["questions"] == len(lines) == PER_SUBJECT * len(subjects)
