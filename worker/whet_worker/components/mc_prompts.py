"""Multiple-choice prompts exactly as lm-evaluation-harness 0.4.13 renders its MMLU, CMMLU and
C-Eval tasks (tasks/mmlu/default/_default_template_yaml, tasks/cmmlu/_default_template_yaml,
tasks/ceval/_default_ceval_yaml; api/task.py `fewshot_context`, api/samplers.py `get_context`):

    context = description + (doc_to_text(shot) + " " + letter(shot) + "\\n\\n") * shots + doc_to_text(question)
    mmlu:  description "The following are multiple choice questions (with answers) about {subject}.\\n\\n"
           doc_to_text "{question.strip()}\\nA. {c0}\\nB. {c1}\\nC. {c2}\\nD. {c3}\\nAnswer:"
    cmmlu: description "以下是关于{subject}的单项选择题，请直接给出正确答案的选项。\\n\\n", "...\\n答案："
    ceval: description "以下是中国关于{subject}的单项选择题，请选出其中的正确答案。\\n\\n", "...\\n答案："
    choices = ["A", "B", "C", "D"], each scored as the continuation " " + letter

The subject's underscores become spaces ("high_school_physics" → "high school physics"), as in
the harness's per-subject YAML files. A question without a subject gets the description without
its "about ..." part. Questions with more than four choices continue with E, F...
"""

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkerError

TARGET_DELIMITER = " "
FEWSHOT_DELIMITER = "\n\n"
LETTERS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class Question:
    index: int
    subject: str
    question: str
    choices: tuple[str, ...]
    answer: int

    def same_doc(self, other: "Question") -> bool:
        """The harness drops a shot equal to the question (dict equality), not only the same row."""
        return (self.subject, self.question, self.choices, self.answer) == (other.subject, other.question, other.choices, other.answer)


@dataclass(frozen=True)
class Template:
    description: str  # with {subject}
    description_without_subject: str
    answer_cue: str


TEMPLATES = {
    "mmlu": Template("The following are multiple choice questions (with answers) about {subject}.\n\n",
                     "The following are multiple choice questions (with answers).\n\n", "Answer:"),
    "cmmlu": Template("以下是关于{subject}的单项选择题，请直接给出正确答案的选项。\n\n",
                      "以下是单项选择题，请直接给出正确答案的选项。\n\n", "答案："),
    "ceval": Template("以下是中国关于{subject}的单项选择题，请选出其中的正确答案。\n\n",
                      "以下是中国的单项选择题，请选出其中的正确答案。\n\n", "答案："),
}


@dataclass(frozen=True)
class ChoicePrompt:
    """One question as the model sees it: the context and the labels scored after it."""

    context: str
    choices: list[str]  # the labels ("A".."D"); continuation = TARGET_DELIMITER + label


def read_questions(path: str) -> list[Question]:
    """Rows of the normalized multiple-choice form {question, choices, answer_index, subject}.
    Raise DATASET_INVALID naming the line and field of the first bad row, DATASET_EMPTY for no rows.
    The server validated the upload already; this guards a hand-written spec."""
    rows: list[Question] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise WorkerError("DATASET_INVALID", f"Cannot read {path}: {exc}") from exc
    for n, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except ValueError as exc:
            raise WorkerError("DATASET_INVALID", f"{path} line {n}: not JSON ({exc})") from exc
        problem = _row_problem(row)
        if problem:
            raise WorkerError("DATASET_INVALID", f"{path} line {n}: {problem}",
                              hint="Each line needs question (text), choices (2-10 texts), answer_index (an index into choices) and optionally subject")
        rows.append(Question(len(rows), row.get("subject") or "", row["question"], tuple(row["choices"]), row["answer_index"]))
    if not rows:
        raise WorkerError("DATASET_EMPTY", f"{path} holds no question")
    return rows


def _row_problem(row) -> str | None:
    if not isinstance(row, dict):
        return "a question line must be a JSON object"
    if not isinstance(row.get("question"), str):
        return "field `question` must be a string"
    if not isinstance(row.get("subject", ""), str):
        return "field `subject` must be a string"
    choices = row.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= len(LETTERS) or not all(isinstance(c, str) for c in choices):
        return f"field `choices` must be a list of 2 to {len(LETTERS)} strings"
    answer = row.get("answer_index")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
        return f"field `answer_index` must be an index into choices (0 to {len(choices) - 1}), got {answer!r}"
    return None


def description(template: Template, subject: str) -> str:
    if not subject:
        return template.description_without_subject
    return template.description.format(subject=subject.replace("_", " "))


def doc_to_text(template: Template, q: Question) -> str:
    lines = [q.question.strip()] + [f"{LETTERS[i]}. {c}" for i, c in enumerate(q.choices)]
    return "\n".join(lines) + "\n" + template.answer_cue


def build_prompt(template: Template, q: Question, shots: list[Question]) -> ChoicePrompt:
    labels = [LETTERS[i] for i in range(len(q.choices))]
    examples = "".join(doc_to_text(template, s) + TARGET_DELIMITER + LETTERS[s.answer] + FEWSHOT_DELIMITER for s in shots)
    return ChoicePrompt(description(template, q.subject) + examples + doc_to_text(template, q), labels)


def shots_for(q: Question, by_subject: dict[str, list[Question]], k: int, same_file: bool) -> list[Question]:
    """The first k examples of q's subject (the harness's `first_n` sampler). When the examples
    come from the questions file itself the harness first drops every row equal to q."""
    if k == 0:
        return []
    pool = by_subject.get(q.subject, [])
    if same_file:
        pool = [s for s in pool if not s.same_doc(q)]
    return pool[:k]


def group_by_subject(rows: list[Question]) -> dict[str, list[Question]]:
    by_subject: dict[str, list[Question]] = {}
    for q in rows:
        by_subject.setdefault(q.subject, []).append(q)
    return by_subject


def check_shots(questions: list[Question], by_subject: dict[str, list[Question]], k: int, same_file: bool) -> None:
    """Raise DATASET_INVALID naming the first subject with fewer examples than the harness draws."""
    need = k + 1 if same_file else k
    if k == 0:
        return
    for subject in dict.fromkeys(q.subject for q in questions):
        have = len(by_subject.get(subject, []))
        if have < need:
            where = "the questions file (no few-shot file given)" if same_file else "the few-shot file"
            raise WorkerError("DATASET_INVALID", f"subject {subject or '(none)'!r} has {have} rows in {where}; {k}-shot needs {need}",
                              hint="Lower num_fewshot, or give a few-shot (dev) file with enough rows of every subject")
