"""Issue 9: a non-idempotent POST retried after the request may have reached the server is reported (a
WARNING naming the call, and a per-client count), since skyrl-tx 0.3.0 / skyrl 0.4.0 ignore
X-Idempotency-Key and may apply it twice."""

from __future__ import annotations

import contextlib
import logging

import httpx
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault

import tinker_ext as tinker


def warnings_about(caplog: pytest.LogCaptureFixture, path: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and path in r.getMessage() and "apply it twice" in r.getMessage()
    ]


def test_retry_after_a_drop_past_the_server_is_reported(
    server: FakeTinker, service: tinker.ServiceClient, caplog: pytest.LogCaptureFixture
) -> None:
    training = service.create_lora_training_client("tiny/model")
    server.inject("/api/v1/optim_step", Fault(status=None, after_apply=True))
    with caplog.at_level(logging.INFO):
        training.optim_step(tinker.AdamParams(learning_rate=1e-4)).result()
    # the fake server, like skyrl, applied it twice; the SDK says so
    assert sum(r.path == "/api/v1/optim_step" for r in server.applied) == 2
    assert len(warnings_about(caplog, "POST /api/v1/optim_step")) == 1
    assert service.possibly_duplicated_requests == 1


@pytest.mark.parametrize(
    "fault",
    [Fault(status=429, body={"detail": "slow down"}), Fault(status=400, body={"detail": "bad"})],
    ids=["429-not-applied", "400-not-retried"],
)
def test_answers_that_were_not_applied_are_not_reported(
    server: FakeTinker, service: tinker.ServiceClient, caplog: pytest.LogCaptureFixture, fault: Fault
) -> None:
    training = service.create_lora_training_client("tiny/model")
    server.inject("/api/v1/optim_step", fault)
    with caplog.at_level(logging.INFO), contextlib.suppress(tinker.BadRequestError):
        training.optim_step(tinker.AdamParams(learning_rate=1e-4)).result()
    assert warnings_about(caplog, "optim_step") == []
    assert service.possibly_duplicated_requests == 0


def test_connection_refused_is_not_reported(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeTinker()
    calls: list[int] = []

    def refuse_first(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return server.handle(request)

    sc = tinker.ServiceClient(
        api_key="tml-k",
        base_url="http://t",
        _transport=httpx.MockTransport(refuse_first),
        _timing=FakeTiming().timing(),
    )
    try:
        with caplog.at_level(logging.INFO):
            sc.create_sampling_client(base_model="m")
        assert sc.possibly_duplicated_requests == 0
        assert warnings_about(caplog, "create_session") == []
    finally:
        sc.close()


def test_read_only_posts_are_not_reported(
    server: FakeTinker, service: tinker.ServiceClient, caplog: pytest.LogCaptureFixture
) -> None:
    training = service.create_lora_training_client("tiny/model")
    server.inject("/api/v1/get_info", Fault(status=None, after_apply=True))
    training._info = None
    with caplog.at_level(logging.INFO):
        training.get_info()
    assert service.possibly_duplicated_requests == 0
