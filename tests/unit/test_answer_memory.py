"""Issue 18, item 2: hostile servers on 127.0.0.1 answer a small sample request (num_samples=1,
max_tokens=4) with 200 MB: a protobuf SampleResponse of tokens (sent chunked, no Content-Length), one of
top-k logprobs, a JSON answer (plain, and gzip-compressed to 1 MB). Each is a LimitExceededError (limit "request_budget") before the body is
held or decoded: the client process (measured in a subprocess, ru_maxrss) grows by a few MB, not by the
answer's size, and it stops reading: the server cannot deliver the whole answer.

A legitimate big JSON forward_backward answer (a datum of 1M tokens, two [1M, 4] float32 outputs: 8M
values, ~165 MB) is read with its values straight into numpy: the call peaks at ~2x the body (reading it
is 2x: its parts, then the joined body), not ~6x (orjson's Python floats), with the values sent."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from _hostile_server import RawServer, Serving
from _proto_server import ProtoFakeTinker, protobuf_response
from tinker_ext_raw.proto import tinker_public_pb2 as pb

MB = 1_000_000
ANSWER_BYTES = 200 * MB
CHILD = Path(__file__).with_name("_answer_memory_child.py")


def tokens_answer() -> httpx.Response:
    message = pb.SampleResponse()
    seq = message.sequences.add(stop_reason=pb.STOP_REASON_LENGTH)
    seq.tokens = np.arange(ANSWER_BYTES // 4, dtype="<i4").tobytes()
    return protobuf_response(message)


def topk_answer() -> httpx.Response:
    message = pb.SampleResponse()
    seq = message.sequences.add(stop_reason=pb.STOP_REASON_LENGTH, tokens=np.arange(4, dtype="<i4").tobytes())
    topk = seq.topk_sampled_logprobs
    topk.length, topk.k = 4, ANSWER_BYTES // 32
    topk.token_ids = np.ones(ANSWER_BYTES // 8, dtype="<i4").tobytes()
    topk.logprobs = np.full(ANSWER_BYTES // 8, -1.0, dtype="<f4").tobytes()
    return protobuf_response(message)


def json_answer() -> httpx.Response:
    count = ANSWER_BYTES // 6
    body = b'{"sequences":[{"tokens":[' + b"12345," * count + b'1],"stop_reason":"length"}],"type":"sample"}'
    return httpx.Response(200, content=body, headers={"content-type": "application/json"})


def gzip_json_answer() -> httpx.Response:
    body = json_answer().content
    return httpx.Response(
        200,
        content=gzip.compress(body, 1),
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )


def run_child(url: str, case: str, *args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, str(CHILD), url, case, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("case", "answer", "chunked"),
    [
        ("tokens", tokens_answer, True),
        ("topk", topk_answer, False),
        ("json", json_answer, False),
        ("json", gzip_json_answer, True),  # inflated in steps: stopped at the cap, long before 200 MB
    ],
)
def test_a_200mb_answer_to_a_small_request_is_refused_before_it_is_held(case, answer, chunked) -> None:
    big = answer()
    assert len(big.content) >= ANSWER_BYTES  # decoded
    fake = ProtoFakeTinker()
    fake.answer_for["/api/v1/asample"] = lambda body: big
    handler = Serving(fake.handle, chunked_framing=chunked)
    with RawServer(handler) as server:
        outcome = run_child(server.url, case)
    assert outcome["error"] == "LimitExceededError", outcome
    assert outcome["limit"] == "request_budget"
    assert "larger than its request can produce" in str(outcome["message"])
    assert int(outcome["peak_growth"]) < 50 * MB, outcome  # the answer itself is 200 MB
    if "content-encoding" not in big.headers:  # (a gzip body is 1 MB: it fits the socket buffers)
        assert handler.sent < ANSWER_BYTES  # the client stopped reading
    assert len([r for r in fake.requests if r.path == "/api/v1/retrieve_future"]) == 1  # not retried


FB_TOKENS = 1_000_000
# 800 float32 values as a Python server writes them (repr of the float32 as a double: ~19 characters)
FB_VALUES = (-(np.arange(800) + 0.123456789) / 7).astype(np.float32)


def forward_backward_answer(picks: np.ndarray) -> bytes:
    """A JSON ForwardBackwardOutput of two [FB_TOKENS, 4] float32 outputs: FB_VALUES[picks]."""
    table = [repr(value).encode() for value in FB_VALUES.tolist()]
    fields = [
        b'"%s":{"data":[%s],"dtype":"float32","shape":[%d,4]}'
        % (name, b",".join([table[k] for k in part]), FB_TOKENS)
        for name, part in zip((b"elementwise_loss", b"logprobs"), picks, strict=True)
    ]
    return (
        b'{"loss_fn_output_type":"ArrayRecord","loss_fn_outputs":[{' + b",".join(fields) + b"}],"
        b'"metrics":{"loss:sum":1.5}}'
    )


def test_a_big_json_forward_backward_answer_is_read_in_about_twice_its_size() -> None:
    picks = np.random.default_rng(0).integers(0, 800, size=(2, FB_TOKENS * 4))
    body = forward_backward_answer(picks)
    expected = hashlib.sha256(b"".join(FB_VALUES[part].tobytes() for part in picks))
    fake = ProtoFakeTinker()
    fake.answer_for["/api/v1/forward_backward"] = lambda message: httpx.Response(
        200, content=body, headers={"content-type": "application/json"}
    )
    with RawServer(Serving(fake.handle)) as server:
        outcome = run_child(server.url, "forward_backward", str(FB_TOKENS))
    assert outcome["digest"] == expected.hexdigest(), outcome  # the values sent, as float32
    assert outcome["logprobs"] == outcome["elementwise_loss"] == ["float32", [FB_TOKENS, 4]]
    # measured: 2.20x (orjson's Python floats: 5.1x); reading the body alone is 2x
    assert int(outcome["peak_growth"]) <= 2.3 * len(body), (outcome, len(body))


SAMPLES, SAMPLE_TOKENS = 8, 1_370_000


def sample_answer(tokens: np.ndarray, logprobs: np.ndarray) -> bytes:
    """A JSON sample answer (what skyrl-tx sends): per sequence its token ids and logprobs."""
    parts = [b'{"sequences":[']
    for index, (ids, lps) in enumerate(zip(tokens, logprobs, strict=True)):
        parts.append(b"," if index else b"")
        parts.append(b'{"tokens":[' + ",".join(map(str, ids.tolist())).encode() + b"],")
        parts.append(b'"logprobs":[' + ",".join(map(repr, lps.tolist())).encode() + b"],")
        parts.append(b'"stop_reason":"length"}')
    parts.append(b'],"prompt_logprobs":null,"type":"sample"}')
    return b"".join(parts)


def test_a_big_json_sample_answer_is_read_into_numpy_in_about_twice_its_size() -> None:
    """Issue 18's last target: a ~177 MB JSON sample answer (8 x 1.15M tokens with logprobs) peaks at
    <= ~2x its size (orjson's Python ints and floats: 9.9x), its values unchanged, never made lists."""
    rng = np.random.default_rng(1)
    tokens = rng.integers(0, 150_000, size=(SAMPLES, SAMPLE_TOKENS))
    logprobs = -np.round(rng.random((SAMPLES, SAMPLE_TOKENS)) * 10, 6)
    body = sample_answer(tokens, logprobs)
    expected = hashlib.sha256()
    for ids, lps in zip(tokens, logprobs, strict=True):
        expected.update(ids.astype("<i4").tobytes())
        expected.update(lps.astype("<f8").tobytes())
    fake = ProtoFakeTinker()
    fake.answer_for["/api/v1/asample"] = lambda message: httpx.Response(
        200, content=body, headers={"content-type": "application/json"}
    )
    with RawServer(Serving(fake.handle)) as server:
        outcome = run_child(server.url, "big_sample", str(SAMPLES), str(SAMPLE_TOKENS))
    assert outcome["digest"] == expected.hexdigest(), outcome
    assert outcome["dtypes"] == ["int32/float64"] and outcome["converted"] is False, outcome
    print(
        f"JSON sample answer of {len(body) / MB:.0f} MB: peak growth {int(outcome['peak_growth']) / len(body):.2f}x"
    )
    assert int(outcome["peak_growth"]) <= 2.3 * len(body), (outcome, len(body))
