"""Score multiple-choice questions (spec.command == "score-choices").

    python -m whet_worker score-choices benchmarks/<id>/<model>/spec.json

Features
- method "loglikelihood": lm-evaluation-harness 0.4.13 parity. The MMLU, CMMLU or C-Eval prompt,
  few-shot examples and `loglikelihood` exactly as the harness builds them
  (components/mc_prompts.py, components/choice_loglikelihood.py), so `acc` and `acc_norm` per
  question equal the harness's on the same file and model.
- method "chat": LLaMA-Factory's `eval` convention (components/chat_choice.py): shots as chat
  turns through the model's chat template, the letter the model ranks highest next.
- 0- to 5-shot: each subject's first rows of a few-shot (dev) file, or of the questions file
  itself (a question is then never its own shot, as in the harness).
- Batched and cached: a question's one-token choices (" A".." D") share one model row, rows run
  longest first, the vocabulary projection runs only at the positions scored, and the questions
  of one subject with the same shots run their shared prompt prefix (description and examples)
  once, each question then only its own tokens after that KV cache.
- A base model, or base + PEFT adapter merged.

Events: log*, `choices_progress` after each chunk of questions, then `choices_scored` (acc,
acc_norm over all questions). The output JSONL holds one {"index", "subject", "answer",
"loglikelihoods", "pred", "pred_norm"} line per question in input order; the server computes
per-subject accuracy from it. Written to a temporary name and renamed when complete.

Raises (as WorkerError)
- DATASET_INVALID / DATASET_EMPTY: a question line without a question, choices or a valid answer_index; a subject with fewer rows than num_fewshot
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM
- ADAPTER_INVALID: the adapter folder is no PEFT adapter or does not fit the base
- CUDA_UNAVAILABLE: device "cuda" without a GPU
"""

import json
import time
from pathlib import Path
from typing import Any

from transformers import logging as hf_logging

from ..components.choice_loglikelihood import PairEncoder, loglikelihoods, max_length_of
from ..components.device import inference_dtype, resolve_device, set_threads
from ..components.chat_choice import chat_messages, chat_prompt_ids, letter_token_ids
from ..components.mc_prompts import TARGET_DELIMITER, TEMPLATES, build_prompt, check_shots, group_by_subject, read_questions, shots_for
from ..events import emit
from ..export.merge_adapter import check_adapter_folder, load_merged
from ..graceful_stop import GracefulStop, StopRequested

# Questions per progress event: large enough that rows of similar length batch together.
CHUNK = 256


class ScoreChoicesRecipe:
    def __init__(self, spec: dict[str, Any]) -> None:
        """Read and check everything that needs no model: the questions, the shots, the adapter, the device."""
        self.spec = spec
        self.output = Path(spec["output_path"])
        self.questions = read_questions(spec["questions_path"])
        same_file = spec["fewshot_path"] is None
        pool = self.questions if same_file else read_questions(spec["fewshot_path"])
        by_subject = group_by_subject(pool)
        k = spec["num_fewshot"]
        check_shots(self.questions, by_subject, k, same_file)
        self.template = TEMPLATES[spec["template"]]
        self.shots = [shots_for(q, by_subject, k, same_file) for q in self.questions]
        self.prompts = [build_prompt(self.template, q, shots) for q, shots in zip(self.questions, self.shots)]
        if spec["adapter"] is not None:
            check_adapter_folder(spec["adapter"])
        self.device = resolve_device(spec["device"])

    def setup(self) -> None:
        threads = set_threads(self.spec["threads"])
        dtype = inference_dtype(self.spec["dtype"], self.device)
        self.model, self.tokenizer = load_merged(self.spec["model"]["path"], self.spec["adapter"], dtype)
        if self.spec["model"]["chat_template"] is not None:
            self.tokenizer.chat_template = self.spec["model"]["chat_template"]
        # Plain layout (no ready_for_inference): the harness runs the weights as loaded.
        self.model.to(self.device).eval()
        self.max_length = max_length_of(self.model, self.tokenizer)
        self.pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else (self.tokenizer.eos_token_id or 0)
        if self.spec["method"] == "chat":
            self.requests = [self._chat_requests(q, shots) for q, shots in zip(self.questions, self.shots)]
        else:
            encoder = PairEncoder(self.tokenizer)
            self.requests = [[encoder.pair(p.context, TARGET_DELIMITER + label) for label in p.choices] for p in self.prompts]
        emit("log", level="info", message=f"scoring {len(self.questions)} questions ({self.spec['num_fewshot']}-shot, {self.spec['method']}) on {self.device} ({threads} threads), batch {self.spec['batch_size']}")

    def _chat_requests(self, q, shots) -> list[tuple[list[int], list[int]]]:
        """One row per question: the chat prompt, each letter's token its one-token continuation."""
        ids = chat_prompt_ids(self.tokenizer, chat_messages(self.template, q, shots))
        return [(ids, [token]) for token in letter_token_ids(self.tokenizer, len(q.choices))]

    def score(self, stop: GracefulStop) -> None:
        started = time.monotonic()
        lines: list[dict[str, Any] | None] = [None] * len(self.questions)
        done = 0
        for chunk in self._chunks():
            if stop.requested:
                raise StopRequested()
            flat = [pair for i in chunk for pair in self.requests[i]]
            scores = loglikelihoods(self.model, flat, self.max_length, self.spec["batch_size"], self.pad_id)
            at = 0
            for i in chunk:
                n = len(self.requests[i])
                lines[i] = self._line(i, scores[at:at + n])
                at += n
            done += len(chunk)
            elapsed = time.monotonic() - started
            emit("choices_progress", done=done, total=len(self.questions),
                 questions_per_sec=round(done / elapsed, 2) if elapsed > 0 else None, elapsed_s=round(elapsed, 3))

        self.output.parent.mkdir(parents=True, exist_ok=True)
        partial = self.output.with_name(self.output.name + ".partial")  # never leave half a file under the real name
        with partial.open("w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        partial.replace(self.output)
        elapsed = time.monotonic() - started
        n = len(lines)
        emit("choices_scored", output_path=str(self.output), questions=n,
             acc=sum(line["pred"] == line["answer"] for line in lines) / n,
             acc_norm=sum(line["pred_norm"] == line["answer"] for line in lines) / n,
             score_runtime_s=round(elapsed, 3), questions_per_sec=round(n / elapsed, 2) if elapsed > 0 else None)

    def _chunks(self) -> list[list[int]]:
        """Questions with the same subject and shots (hence the same prompt up to the question) in
        chunks of at most CHUNK, longest first: one loglikelihoods call each, so its rows share
        the description and examples and that prefix runs once per chunk."""
        groups: dict[tuple[str, tuple[int, ...]], list[int]] = {}
        for i, (q, shots) in enumerate(zip(self.questions, self.shots)):
            groups.setdefault((q.subject, tuple(s.index for s in shots)), []).append(i)
        chunks = []
        for members in groups.values():
            members.sort(key=lambda i: -len(self.requests[i][0][0]))
            chunks += [members[start:start + CHUNK] for start in range(0, len(members), CHUNK)]
        return chunks

    def _line(self, i: int, lls: list[float]) -> dict[str, Any]:
        q, labels = self.questions[i], self.prompts[i].choices
        # acc_norm divides by the choice's length in characters (the label, as the harness's
        # process_results does); the first of equal maxima wins, as numpy's argmax.
        normed = [ll / float(len(label)) for ll, label in zip(lls, labels)]
        return {"index": q.index, "subject": q.subject, "answer": q.answer, "loglikelihoods": lls,
                "pred": lls.index(max(lls)), "pred_norm": normed.index(max(normed))}


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    recipe = ScoreChoicesRecipe(spec)
    recipe.setup()
    recipe.score(stop)
    return 0
