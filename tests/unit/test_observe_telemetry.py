"""Issue 22 part 4: telemetry in 0.38's shape (TelemetrySendRequest batches to /api/v1/telemetry), off by
TINKER_TELEMETRY, silent and off for good on a server without the route, never carrying secrets or data."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, json_response

import tinker_ext as tinker
from tinker_ext._session import telemetry as telemetry_mod


def datum(n: int = 3) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([901, 902, 903][:n]),
        loss_fn_inputs={"target_tokens": [904, 905, 906][:n], "weights": [1.0] * n},
    )


def _client(server: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key="tml-secret-key-123",
        base_url="http://t",
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
    )


def _accepting(server: FakeTinker) -> list[dict[str, Any]]:
    batches: list[dict[str, Any]] = []

    def accept(rec: Any) -> httpx.Response:
        batches.append(rec.body)
        return json_response(200, {"status": "accepted"})

    server.handlers["/api/v1/telemetry"] = accept
    return batches


def test_session_events_and_errors_in_the_official_shape(
    server: FakeTinker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINKER_TELEMETRY", "1")
    batches = _accepting(server)
    sc = _client(server)
    telemetry = sc.get_telemetry()
    assert telemetry is not None
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    assert tc.get_telemetry() is telemetry
    server.inject("/api/v1/optim_step", Fault(400, {"detail": "bad"}))
    with pytest.raises(tinker.BadRequestError):
        tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    server.inject("/api/v1/forward_backward", *[Fault(500)] * 11)
    with pytest.raises(tinker.InternalServerError):
        tc.forward_backward([datum()], "cross_entropy").result()
    sc.close()
    assert len(batches) == 1
    (batch,) = batches
    assert set(batch) == {"events", "platform", "sdk_version", "session_id", "process_uuid"}
    assert batch["session_id"] == sc.session_id
    events = batch["events"]
    kinds = [e["event"] for e in events]
    assert kinds == ["SESSION_START", "GENERIC_EVENT", "UNHANDLED_EXCEPTION", "SESSION_END"]
    assert [e["event_session_index"] for e in events] == [0, 1, 2, 3]
    assert events[1]["event_name"] == "user_error"
    assert events[1]["event_data"] == {"error_type": "BadRequestError", "status_code": 400}
    assert events[2]["error_type"] == "InternalServerError" and "Traceback" in events[2]["traceback"]
    text = orjson.dumps(batch).decode()
    assert "tml-secret-key-123" not in text and "X-API-Key" not in text
    for datum_part in ("target_tokens", "model_input", "loss_fn_inputs", "901,902", "901, 902", "904,905"):
        assert datum_part not in text  # no tokens or datums


def test_off_by_the_environment_switch(server: FakeTinker) -> None:
    batches = _accepting(server)  # TINKER_TELEMETRY=0 (conftest)
    with _client(server) as sc:
        assert sc.get_telemetry() is None
        sc.create_lora_training_client("tiny/model", rank=4)
    assert batches == [] and "/api/v1/telemetry" not in server.paths()


def test_a_server_without_the_route_is_probed_once(
    server: FakeTinker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINKER_TELEMETRY", "yes")
    sc = _client(server)  # FakeTinker answers 404 to /api/v1/telemetry
    telemetry = sc.get_telemetry()
    assert telemetry is not None
    telemetry.log("first")
    sc._ctx.run(telemetry.flush())
    assert telemetry.disabled and server.paths().count("/api/v1/telemetry") == 1
    telemetry.log("second")
    sc.create_lora_training_client("tiny/model", rank=4)
    sc.close()
    assert server.paths().count("/api/v1/telemetry") == 1


def test_batches_of_at_most_100_and_a_bounded_queue(
    server: FakeTinker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TINKER_TELEMETRY", "on")
    monkeypatch.setattr(telemetry_mod, "MAX_QUEUED", 250)
    batches = _accepting(server)
    sc = _client(server)
    telemetry = sc.get_telemetry()
    assert telemetry is not None
    for i in range(260):
        telemetry.log("tick", {"i": i})
    assert "Telemetry queue full" in caplog.text
    sc._ctx.run(telemetry.flush())
    assert [len(b["events"]) for b in batches] == [100, 100, 50]
    assert telemetry.sent == 250
    sc.close()


def test_a_failed_batch_is_dropped_not_raised(server: FakeTinker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINKER_TELEMETRY", "1")
    server.handlers["/api/v1/telemetry"] = lambda rec: json_response(500, {"detail": "down"})
    sc = _client(server)
    telemetry = sc.get_telemetry()
    assert telemetry is not None
    telemetry.log("x")
    sc._ctx.run(telemetry.flush())
    assert telemetry.sent == 0 and not telemetry.disabled
    sc.close()


def test_user_error_classification() -> None:
    from tinker_ext._session.telemetry import is_user_error

    request = httpx.Request("POST", "http://t/x")
    assert is_user_error(
        tinker.BadRequestError("m", response=httpx.Response(400, request=request), body=None)
    )
    assert not is_user_error(tinker.APITimeoutError(request=request))
    assert is_user_error(tinker.InvalidInputError("bad"))
    assert not is_user_error(RuntimeError("x"))
    try:
        try:
            raise tinker.InvalidInputError("inner")
        except tinker.InvalidInputError as inner:
            raise RuntimeError("outer") from inner
    except RuntimeError as outer:
        assert is_user_error(outer)
