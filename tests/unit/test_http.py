"""HttpClient: what goes over the wire, retries per status/transport error, error mapping."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest
from _fault_server import FakeTiming, json_response

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidInputError,
    NotFoundError,
    RateLimitError,
)
from tinker_ext._wire.http import ApiKey, ApiRequest, HttpClient, encode_json
from tinker_ext._wire.retry import RetryPolicy

KEY = "tml-secret-key-123"


class Script:
    """A MockTransport handler answering from a list of responses / exceptions, recording requests."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def make_client(script: Script, fake: FakeTiming | None = None, **kw: Any) -> tuple[HttpClient, FakeTiming]:
    fake = fake or FakeTiming()
    client = HttpClient(
        base_url="http://tinker.test/",
        api_key=ApiKey(KEY),
        transport=httpx.MockTransport(script),
        timing=fake.timing(),
        **kw,
    )
    return client, fake


def run(coro: Any) -> Any:
    return asyncio.run(coro)


POST = ApiRequest("POST", "/api/v1/optim_step", body={"model_id": "m", "seq_id": 1})


def test_request_wire_format() -> None:
    script = Script(json_response(200, {"ok": True}))
    client, _ = make_client(script)
    assert run(client.send_json(POST)) == {"ok": True}
    (req,) = script.requests
    assert req.method == "POST"
    assert str(req.url) == "http://tinker.test/api/v1/optim_step"
    assert req.headers["x-api-key"] == KEY
    assert req.headers["content-type"] == "application/json"
    assert orjson.loads(req.content) == {"model_id": "m", "seq_id": 1}
    assert len(req.headers["x-idempotency-key"]) == 36


def test_get_has_no_body_and_no_idempotency_key() -> None:
    script = Script(json_response(200, {"x": 1}))
    client, _ = make_client(script)
    run(client.send_json(ApiRequest("GET", "/api/v1/training_runs", params={"limit": 5, "offset": 0})))
    (req,) = script.requests
    assert req.content == b""
    assert "x-idempotency-key" not in req.headers
    assert dict(req.url.params) == {"limit": "5", "offset": "0"}


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_status_then_success_reuses_idempotency_key(status: int) -> None:
    script = Script(json_response(status, {"detail": "busy"}), json_response(200, {"done": 1}))
    client, fake = make_client(script)
    assert run(client.send_json(POST)) == {"done": 1}
    assert len(script.requests) == 2
    keys = {r.headers["x-idempotency-key"] for r in script.requests}
    assert len(keys) == 1
    assert script.requests[0].content == script.requests[1].content
    assert fake.sleeps == [0.5]


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequestError), (401, AuthenticationError), (404, NotFoundError), (422, APIStatusError)],
)
def test_non_retryable_status_raises_once(status: int, cls: type[Exception]) -> None:
    script = Script(json_response(status, {"detail": "nope"}))
    client, fake = make_client(script)
    with pytest.raises(cls) as info:
        run(client.send_json(POST))
    assert len(script.requests) == 1
    assert fake.sleeps == []
    assert str(info.value) == f"Error code: {status} - {{'detail': 'nope'}}"
    assert isinstance(info.value, APIStatusError) and info.value.status_code == status


def test_retries_exhausted_raises_last_status_error() -> None:
    script = Script(json_response(503, {"detail": "down"}))
    client, fake = make_client(script)
    with pytest.raises(InternalServerError):
        run(client.send_json(POST))
    assert len(script.requests) == 11  # 1 + 10 retries
    assert fake.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0, 10.0]


def test_max_retries_per_request() -> None:
    script = Script(json_response(429, {}))
    client, _ = make_client(script)
    with pytest.raises(RateLimitError):
        run(client.send_json(ApiRequest("POST", "/x", body={}, max_retries=2)))
    assert len(script.requests) == 3


def test_retry_after_header_honoured() -> None:
    script = Script(
        json_response(429, {}, {"retry-after": "7"}),
        json_response(503, {}, {"retry-after-ms": "250"}),
        json_response(503, {}, {"retry-after": "3600"}),  # out of range -> backoff
        json_response(200, {}),
    )
    client, fake = make_client(script)
    run(client.send_json(POST))
    assert fake.sleeps == [7.0, 0.25, 2.0]


def test_x_should_retry_false_stops_retry_and_true_forces_it() -> None:
    script = Script(json_response(503, {}, {"x-should-retry": "false"}))
    client, _ = make_client(script)
    with pytest.raises(InternalServerError):
        run(client.send_json(POST))
    assert len(script.requests) == 1

    script = Script(json_response(400, {}, {"x-should-retry": "true"}), json_response(200, {"a": 1}))
    client, _ = make_client(script)
    assert run(client.send_json(POST)) == {"a": 1}


def test_dropped_connection_is_retried_then_wrapped() -> None:
    drop = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    script = Script(drop, drop, json_response(200, {"ok": 1}))
    client, fake = make_client(script)
    assert run(client.send_json(POST)) == {"ok": 1}
    assert fake.sleeps == [0.5, 1.0]

    script = Script(httpx.ConnectError("refused"))
    client, _ = make_client(script, retry_policy=RetryPolicy(max_retries=2))
    with pytest.raises(APIConnectionError) as info:
        run(client.send_json(POST))
    assert not isinstance(info.value, APITimeoutError)
    assert len(script.requests) == 3


def test_timeout_becomes_api_timeout_error() -> None:
    script = Script(httpx.ReadTimeout("timed out"))
    client, _ = make_client(script, retry_policy=RetryPolicy(max_retries=1))
    with pytest.raises(APITimeoutError):
        run(client.send_json(POST))
    assert len(script.requests) == 2


def test_progress_timeout_stops_retrying() -> None:
    fake = FakeTiming()
    script = Script(json_response(503, {}))
    client, _ = make_client(script, fake, retry_policy=RetryPolicy(max_retries=1000, progress_timeout=30.0))
    with pytest.raises(InternalServerError):
        run(client.send_json(POST))
    assert sum(fake.sleeps[:-1]) < 30.0 <= sum(fake.sleeps)


def test_timeouts_default_and_per_request() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return json_response(200, {})

    client, _ = make_client(Script(handler))
    run(client.send_json(POST))
    run(client.send_json(POST))
    run(client.send_json(ApiRequest("POST", "/x", body={}, timeout=httpx.Timeout(45.0, connect=5.0))))
    # Until the server answered once, connecting may take at most first_contact_timeout (10 s).
    assert seen[0] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 10.0}
    assert seen[1] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    assert seen[2]["read"] == 45.0 and seen[2]["connect"] == 5.0


def test_nan_and_inf_rejected_before_sending() -> None:
    script = Script(json_response(200, {}))
    client, _ = make_client(script)
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(InvalidInputError):
            run(client.send_json(ApiRequest("POST", "/x", body={"data": [{"v": [1.0, bad, 2.0]}]})))
        with pytest.raises(InvalidInputError):
            run(client.send_json(ApiRequest("POST", "/x", body={"lr": bad})))
    assert script.requests == []


def test_encode_json_accepts_large_finite_bodies_and_mixed_lists() -> None:
    body = {"data": [1, 2.5, 3], "stop": ["\n"], "n": None, "big": [1e308, 1e308]}
    assert orjson.loads(encode_json(body)) == body


def test_conflict_is_retried_like_official() -> None:
    script = Script(json_response(409, {}), json_response(200, {}))
    client, _ = make_client(script)
    run(client.send_json(POST))
    assert len(script.requests) == 2
    script = Script(json_response(409, {}))
    client, _ = make_client(script, retry_policy=RetryPolicy(max_retries=0))
    with pytest.raises(ConflictError):
        run(client.send_json(POST))
