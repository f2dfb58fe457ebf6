"""The chat form of a multiple-choice question, as LLaMA-Factory's `llamafactory-cli eval` builds
it (src/llamafactory/eval/template.py, evaluator.py): each shot a user turn ("{question}\\nA. ..
\\nAnswer:") answered by an assistant turn (its letter), the question the last user turn, the
subject's description put before the first user turn's text; the model's chat template with its
generation prompt renders it. The prediction is the letter whose token the model ranks highest
next: the last token of each letter encoded alone, LLaMA-Factory's `choice_inputs`.
"""

from transformers import PreTrainedTokenizerBase

from .mc_prompts import LETTERS, Question, Template, description, doc_to_text


def chat_messages(template: Template, q: Question, shots: list[Question]) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    for s in shots:
        messages.append({"role": "user", "content": doc_to_text(template, s)})
        messages.append({"role": "assistant", "content": LETTERS[s.answer]})
    messages.append({"role": "user", "content": doc_to_text(template, q)})
    messages[0]["content"] = description(template, q.subject) + messages[0]["content"]
    return messages


def chat_prompt_ids(tokenizer: PreTrainedTokenizerBase, messages: list[dict[str, str]]) -> list[int]:
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)
    return list(ids["input_ids"] if isinstance(ids, dict) else ids)


def letter_token_ids(tokenizer: PreTrainedTokenizerBase, count: int) -> list[int]:
    return [tokenizer.encode(LETTERS[i], add_special_tokens=False)[-1] for i in range(count)]
