"""Local lm-evaluation-harness tasks for a multiple-choice file, so the harness's own evaluator
can score the same questions as `score-choices` (the parity test, benchmarks/benchmark-eval).

Each subject becomes one task: the harness's installed MMLU, CMMLU or C-Eval template YAML and
the subject's description from the harness's own per-subject YAML (both read from the lm_eval
package, not retyped: the subject must be one the harness ships), with the data pointed at local
JSON files (test + dev split).
Needs lm_eval (a dev requirement), imported only by callers that run the harness.
"""

import json
from pathlib import Path

import yaml

from .mc_prompts import LETTERS, Question

# The installed template each of our prompt templates reproduces, and the harness's doc layout.
HARNESS_TEMPLATE = {"mmlu": "mmlu/default/_default_template_yaml", "cmmlu": "cmmlu/_default_template_yaml", "ceval": "ceval/_default_ceval_yaml"}


def harness_doc(template: str, q: Question) -> dict:
    if template == "mmlu":
        return {"question": q.question, "subject": q.subject, "choices": list(q.choices), "answer": q.answer}
    key = "Question" if template == "cmmlu" else "question"
    doc = {key: q.question, **{LETTERS[i]: c for i, c in enumerate(q.choices)}}
    doc["Answer" if template == "cmmlu" else "answer"] = LETTERS[q.answer]
    return doc


def write_harness_tasks(folder: Path, template: str, questions: list[Question], shots: list[Question] | None) -> list[str]:
    """Write one task YAML (+ its JSON data) per subject into `folder`; return the task names.
    shots None: the few-shot docs are each subject's own test rows, as when no dev file is given."""
    import lm_eval

    base = yaml.safe_load((Path(lm_eval.__file__).parent / "tasks" / HARNESS_TEMPLATE[template]).read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for n, subject in enumerate(dict.fromkeys(q.subject for q in questions)):
        name = f"whet_mc_{n}"
        test = folder / f"{name}.test.json"
        _write_docs(test, template, [q for q in questions if q.subject == subject])
        dev = test
        if shots is not None:
            dev = folder / f"{name}.dev.json"
            _write_docs(dev, template, [q for q in shots if q.subject == subject])
        task = {k: v for k, v in base.items() if k not in ("dataset_path", "dataset_name", "dataset_kwargs", "validation_split", "test_split", "fewshot_split")}
        task.update({
            "task": name,
            "dataset_path": "json",
            "dataset_kwargs": {"data_files": {"test": str(test), "dev": str(dev)}},
            "test_split": "test",
            "fewshot_split": "dev" if shots is not None else "test",
            "description": shipped_description(template, subject),
            "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True},
                            {"metric": "acc_norm", "aggregation": "mean", "higher_is_better": True}],
        })
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(task, allow_unicode=True), encoding="utf-8")
        names.append(name)
    return names


def shipped_description(template: str, subject: str) -> str:
    """The description of the harness's own task for this subject: MMLU names its files by the
    English subject, CMMLU and C-Eval write the Chinese name into the description."""
    import lm_eval

    folder = (Path(lm_eval.__file__).parent / "tasks" / HARNESS_TEMPLATE[template]).parent
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = doc.get("description") if isinstance(doc, dict) else None
        if not found:
            continue
        if (template == "mmlu" and doc.get("dataset_name") == subject) or (template != "mmlu" and f"关于{subject}的" in found):
            return found
    raise ValueError(f"lm-evaluation-harness ships no {template} task for subject {subject!r}")


def _write_docs(path: Path, template: str, rows: list[Question]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for q in rows:
            f.write(json.dumps(harness_doc(template, q), ensure_ascii=False) + "\n")
