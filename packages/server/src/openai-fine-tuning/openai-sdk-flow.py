"""OpenAI's fine-tuning workflow with the official Python SDK (worker/requirements-dev.txt pins it),
unmodified, against a running Whetstone server: only base_url differs from a script for OpenAI.

    .venv/bin/python packages/server/src/openai-fine-tuning/openai-sdk-flow.py http://127.0.0.1:7860/v1 tiny

Uploads a file (and is refused a bad one), creates a job with a `whetstone` extra for a short run,
polls it, pages through its events, lists checkpoints and chats with one and with the fine-tuned
model (plain and streamed), reads the metrics file, and pauses a queued second job, whose status
"paused" the SDK passes through. Run by openai-fine-tuning.e2e.test.ts; prints one JSON line.
"""

import json
import sys
import time

import openai
from openai import OpenAI

QA = [("What colour is the sky?", "The sky is blue."), ("What colour is grass?", "Grass is green."), ("What colour is snow?", "Snow is white.")]


def jsonl(rows: list) -> bytes:
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def expect_error(cls: type, call, *fragments: str) -> openai.APIStatusError:
    try:
        call()
    except cls as e:
        for fragment in fragments:
            assert fragment in e.message, f"{fragment!r} not in {e.message!r}"
        return e
    raise AssertionError(f"expected {cls.__name__}")


def wait(client: OpenAI, job_id: str, statuses: tuple[str, ...], timeout: float = 240):
    deadline = time.time() + timeout
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if job.status in statuses:
            return job
        assert time.time() < deadline, f"job {job_id} still {job.status}"
        time.sleep(0.5)


def main(base_url: str, model: str) -> None:
    client = OpenAI(base_url=base_url, api_key="unused-on-loopback", max_retries=0)
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in QA * 6]
    train = client.files.create(file=("py-train.jsonl", jsonl(rows)), purpose="fine-tune")
    assert train.status == "processed", train

    bad = jsonl([rows[0], {"messages": [{"role": "assistant", "content": "Hi"}]}])
    e = expect_error(openai.BadRequestError, lambda: client.files.create(file=("bad.jsonl", bad), purpose="fine-tune"), "line 2", "messages[0].role")
    assert e.body["param"] == "file", e.body
    expect_error(openai.BadRequestError, lambda: client.files.create(file=("t.jsonl", jsonl(rows)), purpose="batch"), 'purpose "batch" is not supported')
    expect_error(openai.NotFoundError, lambda: client.files.retrieve("file-nope"), 'no file with id "file-nope"')
    expect_error(openai.NotFoundError, lambda: client.fine_tuning.jobs.create(model="nope", training_file=train.id), 'the model "nope" does not exist')

    job = client.fine_tuning.jobs.create(
        model=model,
        training_file=train.id,
        suffix="py",
        metadata={"sdk": "python"},
        method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 1, "batch_size": 2}}},
        extra_body={"whetstone": {"max_steps": 2, "max_seq_len": 64, "save_steps": 1, "validation_split": 0}},
    )
    # One job runs at a time: a second one waits in the queue, where it is paused.
    second = client.fine_tuning.jobs.create(model=model, training_file=train.id, extra_body={"whetstone": {"max_steps": 1}})
    paused = client.fine_tuning.jobs.pause(second.id)
    assert paused.status == "paused" and client.fine_tuning.jobs.retrieve(second.id).status == "paused"
    assert client.fine_tuning.jobs.cancel(second.id).status == "cancelled"
    assert [j.id for j in client.fine_tuning.jobs.list(metadata={"sdk": "python"})] == [job.id]

    done = wait(client, job.id, ("succeeded", "failed", "cancelled"))
    assert done.status == "succeeded", done.error
    assert done.fine_tuned_model == f"ft:{model}:whetstone:py:{job.id}", done.fine_tuned_model
    assert done.trained_tokens and done.trained_tokens > 0

    events = list(client.fine_tuning.jobs.list_events(job.id, limit=2))  # iterating fetches every page
    metrics = [e.data for e in events if e.type == "metrics"]
    assert [m["step"] for m in metrics] == [2, 1], metrics
    assert all(m["train_loss"] > 0 for m in metrics)

    checkpoints = client.fine_tuning.jobs.checkpoints.list(job.id).data
    assert [c.step_number for c in checkpoints] == [2, 1], checkpoints
    ask = [{"role": "user", "content": "What colour is the sky?"}]
    reply = client.chat.completions.create(model=checkpoints[-1].fine_tuned_model_checkpoint, messages=ask, max_tokens=6, temperature=0)
    assert isinstance(reply.choices[0].message.content, str)

    plain = client.chat.completions.create(model=done.fine_tuned_model, messages=ask, max_tokens=6, temperature=0)
    stream = client.chat.completions.create(model=done.fine_tuned_model, messages=ask, max_tokens=6, temperature=0, stream=True)
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert streamed == plain.choices[0].message.content, (streamed, plain.choices[0].message.content)
    assert done.fine_tuned_model in [m.id for m in client.models.list()]

    csv = client.files.content(done.result_files[0]).text.strip().splitlines()
    assert csv[0] == "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy" and len(csv) == 3, csv
    print(json.dumps({"ok": True, "job": job.id, "fine_tuned_model": done.fine_tuned_model, "events": len(events), "checkpoints": len(checkpoints)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
