"""Wire tests of the 0.38 operations the local server (skyrl-tx) does not implement: save_weights_external,
external_weights_urls, copy_weights and the AdminClient endpoints. These unit tests against the in-process
fake server are the only test of them: exact method, path, query, headers and body; retries reusing the
idempotency key; the weights access token never in errors, reprs or logs; bad input sending nothing."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, Recorded, json_response

import tinker_ext as tinker
from tinker_ext._wire.http import ApiRequest
from tinker_ext._wire.http_errors import WEIGHTS_ACCESS_TOKEN_HEADER
from tinker_ext.types.rest import ExternalWeightsUrlsResponse

TOKEN = "wat-secret-7f3a9c"  # a weights access token that must never leak
COPY = "/api/v1/copy_weights"
SRC = "tinker://run-1/weights/step-10"


@pytest.fixture
def server() -> FakeTinker:
    fake = FakeTinker()
    fake.result_for["/api/v1/save_weights_external"] = lambda rec: {
        "path": f"tinker://{rec.body['model_id']}/external_weights/{rec.body['path']}",
        "size_bytes": 1234,
        "type": "save_weights_external",
    }
    fake.handlers[COPY] = lambda rec: json_response(200, {"tinker_path": "tinker://copy-1/weights/step-10"})
    return fake


def _kwargs(server: FakeTinker) -> dict[str, Any]:
    return {
        "api_key": "tml-test",
        "base_url": "http://t",
        "_transport": server.transport(),
        "_timing": FakeTiming().timing(),
    }


@pytest.fixture
def service(server: FakeTinker) -> Iterator[tinker.ServiceClient]:
    sc = tinker.ServiceClient(**_kwargs(server))
    yield sc
    sc.close()


@pytest.fixture
def rest(server: FakeTinker) -> tinker.RestClient:
    return tinker.RestClient(**_kwargs(server))


@pytest.fixture
def admin(server: FakeTinker) -> tinker.AdminClient:
    return tinker.AdminClient(**_kwargs(server))


def _only(server: FakeTinker, path: str) -> list[Recorded]:
    return [r for r in server.requests if r.path == path]


# ------------------------------------------------------------------------------- save_weights_external


def test_save_weights_external_wire_omits_none(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model")
    result = tc.save_weights_external("export-1").result()
    assert result.path == f"tinker://{tc.model_id}/external_weights/export-1"
    assert result.size_bytes == 1234
    (rec,) = _only(server, "/api/v1/save_weights_external")
    assert rec.method == "POST"
    assert rec.body == {
        "model_id": tc.model_id,
        "path": "export-1",
        "seq_id": 1,
        "type": "save_weights_external",
    }


def test_save_weights_external_sends_ttl_and_recipients_in_order(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    tc = service.create_lora_training_client("tiny/model")
    keys = [f"age1recipient{i}" for i in range(10)]  # exactly the maximum
    first = tc.save_weights_external("a", ttl_seconds=3600, age_encryption_recipients=keys)
    second = tc.optim_step(tinker.AdamParams(learning_rate=1e-3))
    first.result()
    second.result()
    (rec,) = _only(server, "/api/v1/save_weights_external")
    assert rec.body["ttl_seconds"] == 3600
    assert rec.body["age_encryption_recipients"] == keys
    assert rec.body["seq_id"] == 1
    assert server.bodies("/api/v1/optim_step")[0]["seq_id"] == 2


@pytest.mark.parametrize(
    ("name", "recipients"),
    [
        ("ok", [f"age1k{i}" for i in range(11)]),  # more than 10 recipients
        ("ok", "age1single"),  # a bare string, not a list
        ("ok", ["age1k", ""]),
        ("bad/name", None),
    ],
)
def test_save_weights_external_bad_input_sends_nothing(
    server: FakeTinker, service: tinker.ServiceClient, name: str, recipients: Any
) -> None:
    tc = service.create_lora_training_client("tiny/model")
    with pytest.raises(tinker.InvalidInputError):
        tc.save_weights_external(name, age_encryption_recipients=recipients)
    assert _only(server, "/api/v1/save_weights_external") == []
    # The failed call did not take (or leak) a sequence id: the next op is seq 1 and is not blocked.
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result(timeout=10)
    assert server.bodies("/api/v1/optim_step")[0]["seq_id"] == 1


def test_save_weights_external_async_twin(server: FakeTinker, service: tinker.ServiceClient) -> None:
    import asyncio

    tc = service.create_lora_training_client("tiny/model")

    async def go() -> Any:
        future = await tc.save_weights_external_async("x", ttl_seconds=7200)
        return await future

    assert asyncio.run(go()).path.endswith("/external_weights/x")
    assert _only(server, "/api/v1/save_weights_external")[0].body["ttl_seconds"] == 7200


# ---------------------------------------------------------------------------- external_weights_urls


def test_get_external_weights_urls_wire(server: FakeTinker, rest: tinker.RestClient) -> None:
    route = "/api/v1/training_runs/run-1/checkpoints/external_weights/exp-1/external_weights_urls"
    server.handlers[route] = lambda rec: json_response(
        200, {"urls": {"adapter_model.safetensors": "https://s/1"}, "expires": "2026-01-01T00:00:00Z"}
    )
    result = rest.get_external_weights_urls("tinker://run-1/external_weights/exp-1").result()
    assert isinstance(result, ExternalWeightsUrlsResponse)
    assert result.urls == {"adapter_model.safetensors": "https://s/1"}
    assert result.expires == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    (rec,) = server.requests
    assert (rec.method, rec.path, rec.body, rec.params) == ("GET", route, None, {})
    assert "x-idempotency-key" not in rec.headers  # GETs carry none


@pytest.mark.parametrize("bad", ["tinker://run-1/weights/w", "tinker://run-1/sampler_weights/s", "nope"])
def test_get_external_weights_urls_rejects_other_paths(
    server: FakeTinker, rest: tinker.RestClient, bad: str
) -> None:
    with pytest.raises(tinker.InvalidInputError):
        rest.get_external_weights_urls(bad)
    assert server.requests == []


# ------------------------------------------------------------------------------------- copy_weights


def test_rest_copy_weights_wire(server: FakeTinker, rest: tinker.RestClient) -> None:
    result = rest.copy_weights(SRC, "proj-9", ttl_seconds=86400, weights_access_token=TOKEN).result()
    assert result == "tinker://copy-1/weights/step-10"
    (rec,) = server.requests
    assert (rec.method, rec.path, rec.params) == ("POST", COPY, {})
    assert rec.body == {"source_path": SRC, "destination_project_id": "proj-9", "ttl_seconds": 86400}
    assert rec.headers[WEIGHTS_ACCESS_TOKEN_HEADER] == TOKEN
    assert uuid.UUID(rec.headers["X-Idempotency-Key"]).version == 4
    assert rec.headers["content-type"] == "application/json"


def test_copy_weights_without_token_sends_no_token_header(
    server: FakeTinker, rest: tinker.RestClient
) -> None:
    rest.copy_weights(SRC, "proj-9").result()
    (rec,) = server.requests
    assert WEIGHTS_ACCESS_TOKEN_HEADER not in rec.headers
    assert rec.body == {"source_path": SRC, "destination_project_id": "proj-9"}


def test_copy_weights_retries_reuse_the_idempotency_key(server: FakeTinker, rest: tinker.RestClient) -> None:
    server.inject(COPY, Fault(503), Fault(None), Fault(429))
    rest.copy_weights(SRC, "proj-9", weights_access_token=TOKEN).result()
    rest.copy_weights(SRC, "proj-9").result()
    records = _only(server, COPY)
    assert len(records) == 5
    first_call = {r.headers["X-Idempotency-Key"] for r in records[:4]}
    assert len(first_call) == 1
    assert records[4].headers["X-Idempotency-Key"] not in first_call  # a new call gets a new key
    assert all(r.headers[WEIGHTS_ACCESS_TOKEN_HEADER] == TOKEN for r in records[:4])


def test_copy_weights_destination_from_env(
    server: FakeTinker, rest: tinker.RestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINKER_PROJECT_ID", "env-proj")
    rest.copy_weights(SRC).result()
    rest.copy_weights(SRC, "explicit").result()
    assert [b["destination_project_id"] for b in server.bodies(COPY)] == ["env-proj", "explicit"]


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        (SRC, {}),  # no destination and no TINKER_PROJECT_ID
        ("not-a-tinker-path", {"destination_project_id": "p"}),
        (SRC, {"destination_project_id": "p", "ttl_seconds": "3600"}),
        (SRC, {"destination_project_id": "p", "weights_access_token": ""}),
    ],
)
def test_copy_weights_bad_input_sends_nothing(
    server: FakeTinker,
    rest: tinker.RestClient,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    monkeypatch.delenv("TINKER_PROJECT_ID", raising=False)
    with pytest.raises(tinker.InvalidInputError):
        rest.copy_weights(path, **kwargs)
    assert server.requests == []


def test_service_copy_weights_uses_its_project(server: FakeTinker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TINKER_PROJECT_ID", raising=False)
    with tinker.ServiceClient(project_id="svc-proj", **_kwargs(server)) as sc:
        result = sc.copy_weights(SRC, ttl_seconds=3600, weights_access_token=TOKEN).result()
    assert result.startswith("tinker://copy-1/")
    (rec,) = _only(server, COPY)
    assert rec.body == {"source_path": SRC, "destination_project_id": "svc-proj", "ttl_seconds": 3600}
    assert rec.headers[WEIGHTS_ACCESS_TOKEN_HEADER] == TOKEN
    assert "/api/v1/create_session" not in server.paths()  # a plain REST call, no session needed


def test_service_copy_weights_without_project_sends_nothing(
    server: FakeTinker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TINKER_PROJECT_ID", raising=False)
    with tinker.ServiceClient(**_kwargs(server)) as sc, pytest.raises(tinker.InvalidInputError):
        sc.copy_weights(SRC)
    assert _only(server, COPY) == []


def test_weights_access_token_never_leaks(
    server: FakeTinker, rest: tinker.RestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # The server echoes the token in its error body (worst case); two retries are logged first.
    server.inject(COPY, Fault(503), Fault(None), Fault(403, {"detail": f"token {TOKEN} has no access"}))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(tinker.PermissionDeniedError) as info:
        rest.copy_weights(SRC, "proj-9", weights_access_token=TOKEN).result()
    exc = info.value
    assert len(_only(server, COPY)) == 3
    assert TOKEN not in str(exc) and TOKEN not in repr(exc) and TOKEN not in exc.message
    assert exc.request is not None and WEIGHTS_ACCESS_TOKEN_HEADER not in exc.request.headers
    assert "tml-test" not in str(exc.request.headers)
    assert any("Retrying" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text


def test_api_request_repr_redacts_the_token() -> None:
    request = ApiRequest("POST", COPY, headers={WEIGHTS_ACCESS_TOKEN_HEADER: TOKEN, "X-Other": "shown"})
    assert TOKEN not in repr(request) and "shown" in repr(request)


# ------------------------------------------------------------------------------------------ AdminClient


def test_admin_client_is_exported() -> None:
    assert "AdminClient" in tinker.__all__
    assert tinker.AdminClient is tinker._rest.admin_client.AdminClient


def test_audit_log_wire(server: FakeTinker, admin: tinker.AdminClient) -> None:
    entry = {"timestamp": "2026-01-02T03:00:00Z", "event": "checkpoint.deleted", "surprise": 1}
    server.handlers["/api/v1/audit"] = lambda rec: json_response(200, {"entries": [entry]})
    default = admin.get_audit_log().result()
    admin.get_audit_log("checkpoints", dt.date(2026, 1, 2)).result()
    admin.get_audit_log("teams", "2026-01-03").result()
    assert default.entries[0].event == "checkpoint.deleted" and default.entries[0].event_details == {}
    assert [(r.method, r.path, r.params) for r in server.requests] == [
        ("GET", "/api/v1/audit", {"event_type": "all"}),
        ("GET", "/api/v1/audit", {"event_type": "checkpoints", "day": "2026-01-02"}),
        ("GET", "/api/v1/audit", {"event_type": "teams", "day": "2026-01-03"}),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [{"event_type": "everything"}, {"day": "yesterday"}, {"day": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}],
)
def test_audit_log_bad_input_sends_nothing(
    server: FakeTinker, admin: tinker.AdminClient, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(tinker.InvalidInputError):
        admin.get_audit_log(**kwargs)
    assert server.requests == []


def _billing_body() -> dict[str, Any]:
    return {
        "data": [
            {
                "bucket_start": "2026-01-01T00:00:00Z",
                "bucket_end": "2026-01-01T01:00:00Z",
                "base_model": "tiny/model",
                "estimated_cost_usd": 0.25,
                "event_info": {"type": "training", "token_count": 1000},
                "unknown_field": "ignored",
            }
        ],
        "sessions": {"sess0": {"user_metadata": {"k": "v"}}},
        "cost_data_through": "2026-01-01T02:00:00Z",
    }


def test_billing_usage_wire(server: FakeTinker, admin: tinker.AdminClient) -> None:
    server.handlers["/api/v1/billing/usage/events"] = lambda rec: json_response(200, _billing_body())
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    usage = admin.get_billing_usage(start, start + dt.timedelta(days=14)).result()  # 14 days is allowed
    # Naive = UTC; other offsets are converted; strings are parsed.
    admin.get_billing_usage(dt.datetime(2026, 1, 1, 5), "2026-01-01T08:00:00+02:00").result()
    assert usage.data[0].event_info == tinker.types.TrainingBillingEvent(token_count=1000)  # typed, as 0.38
    assert usage.data[0].estimated_cost_usd == 0.25
    assert usage.sessions == {"sess0": tinker.types.BillingUsageSession(user_metadata={"k": "v"})}
    assert usage.cost_data_through == dt.datetime(2026, 1, 1, 2, tzinfo=dt.UTC)
    assert [(r.method, r.path, r.params) for r in server.requests] == [
        (
            "GET",
            "/api/v1/billing/usage/events",
            {"starting_on": "2026-01-01T00:00:00+00:00", "ending_before": "2026-01-15T00:00:00+00:00"},
        ),
        (
            "GET",
            "/api/v1/billing/usage/events",
            {"starting_on": "2026-01-01T05:00:00+00:00", "ending_before": "2026-01-01T06:00:00+00:00"},
        ),
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, 2, tzinfo=dt.UTC)),
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, 2, 0, 1, tzinfo=dt.UTC)),
        ("2026-01-01T00:00:00+05:30", "2026-01-01T02:00:00Z"),  # whole hour locally, not in UTC
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 15, 1, tzinfo=dt.UTC)),  # > 14 days
        (dt.datetime(2026, 1, 2, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),  # reversed
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),  # empty
        ("last week", "2026-01-01T00:00:00Z"),
        (dt.date(2026, 1, 1), dt.datetime(2026, 1, 2, tzinfo=dt.UTC)),
    ],
)
def test_billing_usage_bad_window_sends_nothing(
    server: FakeTinker, admin: tinker.AdminClient, start: Any, end: Any
) -> None:
    with pytest.raises(tinker.InvalidInputError):
        admin.get_billing_usage(start, end)
    assert server.requests == []


def test_checkpoint_storage_usage_wire(server: FakeTinker, admin: tinker.AdminClient) -> None:
    item = {"checkpoint_count": 3, "size_bytes": 2048, "size_gigabytes": 0.000002, "project_id": "p1"}
    server.handlers["/api/v1/billing/usage/checkpoints/current"] = lambda rec: json_response(
        200, {"data": [item], "effective_rate_usd_per_gigabyte_month": 0.1}
    )
    everything = admin.get_current_checkpoint_storage_usage().result()
    admin.get_current_checkpoint_storage_usage("p1").result()
    assert (everything.data[0].checkpoint_count, everything.data[0].size_bytes) == (3, 2048)
    assert [(r.method, r.params) for r in server.requests] == [("GET", {}), ("GET", {"project_id": "p1"})]
    with pytest.raises(tinker.InvalidInputError):
        admin.get_current_checkpoint_storage_usage("")
    assert len(server.requests) == 2


def test_admin_errors_are_typed(server: FakeTinker, admin: tinker.AdminClient) -> None:
    server.handlers["/api/v1/audit"] = lambda rec: json_response(403, {"detail": "admins only"})
    with pytest.raises(tinker.PermissionDeniedError, match="admins only"):
        admin.get_audit_log().result()
    assert "tml-test" not in repr(admin)


def test_admin_async_twins(server: FakeTinker, admin: tinker.AdminClient) -> None:
    import asyncio

    server.handlers["/api/v1/audit"] = lambda rec: json_response(200, {"entries": []})
    assert asyncio.run(admin.get_audit_log_async("projects")).entries == []
    assert server.requests[0].params == {"event_type": "projects"}
