"""The validation share the worker holds out: random, or kept per label for a labelling set."""

from collections import Counter

from whet_worker.components.conversations import hold_out


def chat(answer: str, i: int) -> list[dict]:
    return [{"role": "user", "content": f"review {i}"}, {"role": "assistant", "content": answer}]


def answers(rows: list) -> Counter:
    return Counter(row[-1]["content"].strip() for row in rows)


# 180 "good", 18 "bad", 2 free-text answers: a skewed labelling set with a stray answer.
ROWS = [chat("good", i) for i in range(180)] + [chat(" bad ", i) for i in range(18)] + [chat(f"something else {i}", i) for i in range(2)]


def test_each_label_keeps_its_share_of_the_held_out_rows():
    train, held = hold_out(ROWS, 0.1, seed=3, labels=["good", "bad"])
    assert len(held) == 20 and len(train) == 180
    assert answers(held) == Counter({"good": 18, "bad": 2})
    assert answers(train)["bad"] == 16
    # Every row lands on exactly one side.
    assert sorted(map(str, train + held)) == sorted(map(str, ROWS))


def test_the_same_seed_holds_out_the_same_rows():
    assert hold_out(ROWS, 0.1, seed=3, labels=["good", "bad"]) == hold_out(ROWS, 0.1, seed=3, labels=["good", "bad"])
    assert hold_out(ROWS, 0.1, seed=3, labels=["good", "bad"])[1] != hold_out(ROWS, 0.1, seed=4, labels=["good", "bad"])[1]


def test_a_rare_label_is_in_the_validation_rows_even_when_a_random_split_would_miss_it():
    rows = [chat("good", i) for i in range(95)] + [chat("bad", i) for i in range(5)]
    missed = [seed for seed in range(50) if answers(hold_out(rows, 0.2, seed)[1])["bad"] == 0]
    assert missed, "some random 20-row split of 100 rows should miss all 5 rare rows"
    for seed in missed:
        assert answers(hold_out(rows, 0.2, seed, labels=["good", "bad"])[1]) == Counter({"good": 19, "bad": 1})


def test_without_labels_or_share_the_split_is_as_before():
    train, held = hold_out(ROWS, 0.0, seed=1, labels=["good", "bad"])
    assert held == [] and train == ROWS
    train, held = hold_out(ROWS, 0.1, seed=1)
    assert len(held) == 20
