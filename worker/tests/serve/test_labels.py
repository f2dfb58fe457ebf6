"""`labels` on the generation server: every answer is exactly one label, greedy or sampled,
streamed or not, and in a batch whose rows have different label sets or none."""

from concurrent.futures import ThreadPoolExecutor

from serve_support import serve_model, server  # noqa: F401 (fixtures)

LABELS = ["pos", "positive", "negative"]  # "pos" is a prefix of "positive"
QUESTIONS = ["Is this good?", "I loved the film.", "Terrible service.", "中国的首都是哪里？", "Meh.", "Why?"]


def chat(question: str) -> list[dict]:
    return [{"role": "user", "content": f"Review: {question}\nSentiment?"}]


def test_greedy_and_sampled_answers_are_always_a_label(server):
    client, _, _ = server
    greedy = [client.generate(messages=chat(q), labels=LABELS, temperature=0, max_tokens=1) for q in QUESTIONS]
    for lines in greedy:
        text = "".join(line["text"] for line in lines if line["type"] == "delta")
        assert text in LABELS
        assert lines[-1]["finish_reason"] == "stop"  # ended on EOS after the label, max_tokens 1 notwithstanding
    sampled = [client.text(messages=chat(q), labels=LABELS, temperature=1.0, seed=seed) for q in QUESTIONS for seed in range(4)]
    assert set(sampled) <= set(LABELS)
    # The sharpened model is sure of its first token at temperature 1; a hot draw shows sampling really chooses.
    hot = [client.text(messages=chat(q), labels=LABELS, temperature=50.0, seed=seed) for q in QUESTIONS[:2] for seed in range(8)]
    assert set(hot) <= set(LABELS) and len(set(hot)) >= 2, hot
    raw = [client.text(prompt=f"{q} Sentiment:", labels=LABELS, temperature=1.0, top_k=2, top_p=0.5, seed=seed) for seed, q in enumerate(QUESTIONS)]
    assert set(raw) <= set(LABELS)


def test_without_labels_the_answer_is_free_text(server):
    client, _, _ = server
    free = [client.text(messages=chat(q), temperature=0, max_tokens=8) for q in QUESTIONS]
    assert any(text not in LABELS for text in free)


def test_a_batch_mixes_label_sets_and_free_rows(server):
    client, _, _ = server
    sets = [LABELS, ["yes", "no"], None, ["北京", "上海", "Paris"]]
    requests = [
        {"messages": chat(q), "temperature": t, "seed": i, "max_tokens": 12, **({"labels": sets[i % 4]} if sets[i % 4] else {})}
        for i, (q, t) in enumerate([(q, t) for q in QUESTIONS for t in (0, 1.0)])
    ]
    alone = [client.text(**r) for r in requests]
    with ThreadPoolExecutor(len(requests)) as pool:
        together = list(pool.map(lambda r: client.text(**r), requests))
    assert client.health()["peak_running"] >= 3
    assert together == alone  # per-request seeds and constraints: a batch changes nothing
    for r, text in zip(requests, together):
        if "labels" in r:
            assert text in r["labels"], (r, text)
    status, whole = client.request("POST", "/generate", {**requests[0], "stream": False})
    assert status == 200 and whole["text"] in LABELS


def test_bad_label_lists_are_refused_naming_the_field(server):
    client, _, _ = server
    for labels in ([], [""], ["x"] * 201):
        status, body = client.request("POST", "/generate", {"prompt": "x", "labels": labels})
        assert status == 400 and body["error"]["code"] == "INVALID_REQUEST" and "labels" in body["error"]["message"]
