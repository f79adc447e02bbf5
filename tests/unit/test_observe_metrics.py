"""Issue 22 part 1: per-operation metrics of a ServiceClient (counts, latency quantiles, retries by reason,
errors by type, bytes, queue-state transitions), their JSON and Prometheus forms and the exporter hook."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _fault_server import FakeTinker, Fault

import tinker_ext as tinker
from tinker_ext._observe.histogram import Histogram
from tinker_ext._observe.metrics import Metrics, MetricsSnapshot


def datum(n: int = 3) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(list(range(n))),
        loss_fn_inputs={"target_tokens": list(range(1, n + 1)), "weights": [1.0] * n},
    )


def test_histogram_quantiles_within_a_bucket_and_bounded() -> None:
    h = Histogram()
    for ms in range(1, 10_001):
        h.add(float(ms))
    size = len(h.buckets)
    for q, exact in ((0.5, 5000), (0.95, 9500), (0.99, 9900)):
        got = h.quantile(q)
        assert got is not None and exact <= got <= exact * 1.05
    for _ in range(10_000):
        h.add(1.0)
    assert len(h.buckets) == size  # fixed size whatever the number of samples
    assert Histogram().quantile(0.5) is None
    h2 = Histogram()
    h2.add(0.0)
    h2.add(1e12)  # out of range both ways: first and last bucket
    assert h2.count == 2 and h2.quantile(1.0) == 1e12


def test_training_calls_are_counted_per_operation(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    for _ in range(3):
        tc.forward_backward([datum()], "cross_entropy").result()
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    snap = service.metrics()
    data = snap.to_dict()
    json.dumps(data)  # JSON-able
    assert data["forward_backward"]["count"] == 3
    assert data["optim_step"]["count"] == 1
    assert data["create_model"]["count"] == 1
    fb = data["forward_backward"]
    for key in ("p50_ms", "p95_ms", "p99_ms", "attempt_p50_ms"):
        assert isinstance(fb[key], float) and fb[key] >= 0
    assert fb["p50_ms"] <= fb["p95_ms"] <= fb["p99_ms"]
    assert fb["retries"] == {} and fb["errors"] == {}
    sent = sum(
        len(r.body and json.dumps(r.body)) for r in server.requests if r.path == "/api/v1/forward_backward"
    )
    assert fb["bytes_sent"] > 0 and abs(fb["bytes_sent"] - sent) < sent  # the encoded bodies, about
    polls = data["retrieve_future"]
    assert polls["polls"] == polls["attempts"] >= 5 and polls["bytes_received"] > 0


def test_retries_by_reason_and_errors_by_type(server: FakeTinker, service: tinker.ServiceClient) -> None:
    server.inject("/api/v1/create_model", Fault(503), Fault(429))
    tc = service.create_lora_training_client("tiny/model", rank=4)
    server.inject("/api/v1/optim_step", Fault(400, {"detail": "bad"}))
    with pytest.raises(tinker.BadRequestError):
        tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    data = service.metrics().to_dict()
    assert data["create_model"]["retries"] == {"status_503": 1, "status_429": 1}
    assert data["create_model"]["attempts"] == 3 and data["create_model"]["count"] == 1
    assert data["optim_step"]["errors"] == {"BadRequestError": 1}
    assert data["optim_step"]["count"] == 1


def test_queue_state_transitions_with_durations(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    paused = {"type": "try_again", "queue_state": "paused_capacity", "request_id": "x"}
    original = server.handle

    answers = [paused, paused]

    def handle(request: Any) -> Any:
        if request.url.path == "/api/v1/retrieve_future" and answers:
            from _fault_server import json_response

            return json_response(200, answers.pop())
        return original(request)

    server.handle = handle  # type: ignore[method-assign]
    service._ctx.http._client = None  # rebuild the httpx client on the patched handler
    service._ctx.http._transport = __import__("httpx").MockTransport(handle)
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    data = service.metrics().to_dict()["optim_step"]
    assert data["queue_state_transitions"] == {"active->paused_capacity": 1, "paused_capacity->active": 1}
    assert set(data["queue_state_ms"]) == {"active", "paused_capacity"}
    assert data["queue_state_ms"]["paused_capacity"]["count"] == 1


def test_prometheus_text() -> None:
    m = Metrics()
    m.call('op"x', 12.0, None)
    m.call('op"x', 30.0, ValueError("no"))
    m.attempt('op"x', 10.0, 100, 2000)
    m.retry('op"x', "status_503")
    m.queue_state('op"x', "active", "paused_capacity", 5.0)
    text = m.snapshot().to_prometheus()
    lines = text.splitlines()
    assert "# TYPE tinker_ext_call_duration_seconds summary" in lines
    assert 'tinker_ext_call_duration_seconds_count{operation="op\\"x"} 2' in lines
    assert 'tinker_ext_retries_total{operation="op\\"x",reason="status_503"} 1' in lines
    assert 'tinker_ext_errors_total{operation="op\\"x",type="ValueError"} 1' in lines
    assert 'tinker_ext_bytes_received_total{operation="op\\"x"} 2000' in lines
    assert (
        'tinker_ext_queue_state_transitions_total{operation="op\\"x",from="active",to="paused_capacity"} 1'
        in lines
    )
    sample_lines = [line for line in lines if not line.startswith("#")]
    assert all(len(line.rsplit(" ", 1)) == 2 and float(line.rsplit(" ", 1)[1]) >= 0 for line in sample_lines)


def test_counter_keys_are_bounded() -> None:
    m = Metrics()
    for i in range(500):
        m.retry("op", f"reason_{i}")
    retries = m.snapshot()["op"].retries
    assert len(retries) <= 65 and sum(retries.values()) == 500 and retries["other"] > 0


def test_exporter_hook_gets_snapshots_and_a_last_one_at_close(server: FakeTinker, make_service: Any) -> None:
    got: list[MetricsSnapshot] = []
    sc = make_service(metrics_exporter=got.append, metrics_export_interval=1e-9)
    tc = sc.create_lora_training_client("tiny/model", rank=4)
    tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    assert got and isinstance(got[-1], MetricsSnapshot)
    count = len(got)
    sc.close()
    assert len(got) > count and got[-1].to_dict()["optim_step"]["count"] == 1
    assert "finish_session" in got[-1]  # the last one is taken at close, after the finish request


def test_a_failing_exporter_never_breaks_calls(
    server: FakeTinker, caplog: pytest.LogCaptureFixture, make_service: Any
) -> None:
    def boom(snapshot: MetricsSnapshot) -> None:
        raise RuntimeError("exporter down")

    with make_service(metrics_exporter=boom, metrics_export_interval=1e-9) as sc:
        tc = sc.create_lora_training_client("tiny/model", rank=4)
        assert tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result() is not None
    assert "The metrics exporter raised" in caplog.text


def test_bad_metrics_options_are_refused() -> None:
    with pytest.raises(TypeError, match="metrics_exporter"):
        tinker.ServiceClient(api_key="tml-test", base_url="http://t", metrics_exporter=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="metrics_export_interval"):
        tinker.ServiceClient(api_key="tml-test", base_url="http://t", metrics_export_interval=0)
    with pytest.raises(ValueError, match="wait_report_interval"):
        tinker.ServiceClient(api_key="tml-test", base_url="http://t", wait_report_interval=-1)


def test_batches_and_single_adds_fill_the_documented_buckets() -> None:
    import math
    import random

    import numpy as np

    from tinker_ext._observe import histogram

    last = len(Histogram().buckets) - 1

    def bucket(ms: float) -> int:  # the documented layout, value by value
        if ms <= histogram._MIN_MS:
            return 0
        return min(int(math.log(ms / histogram._MIN_MS) / math.log(histogram._GROWTH)) + 1, last)

    rng = random.Random(7)
    edges = [0.0, 0.005, 0.01, 0.0100001, 36_000_000.0, 1e12]  # below, at and past both ends
    values = edges + [rng.lognormvariate(0.0, 3.0) for _ in range(5000)]
    one = [0] * (last + 1)
    for ms in values:
        one[bucket(ms)] += 1
    batch, single = Histogram(), Histogram()
    batch.add_many(np.array(values[:1000]))
    batch.add_many(np.array(values[1000:]))
    batch.add_many(np.array([], dtype=np.float64))
    for ms in values[:50] + edges:
        single.add(ms)
    assert batch.buckets == one
    assert (batch.count, batch.max_ms) == (len(values), max(values))
    assert batch.sum_ms == pytest.approx(sum(values))
    assert single.buckets == [
        sum(1 for ms in values[:50] + edges if bucket(ms) == i) for i in range(len(one))
    ]


def test_records_appended_while_another_thread_flushes_are_all_counted() -> None:
    import threading

    from tinker_ext._observe.metrics import FLUSH_AT

    m = Metrics()
    total = 20 * FLUSH_AT + 17
    stop = threading.Event()

    def snapshots() -> None:  # a reader taking snapshots the whole time (each one flushes)
        while not stop.is_set():
            m.snapshot()

    reader = threading.Thread(target=snapshots)
    reader.start()
    try:
        for i in range(total):
            m.attempt("asample" if i % 3 else "retrieve_future", 1.0, 10, 20)
            m.call("asample", 2.0, ValueError("x") if i % 5 == 0 else None)
    finally:
        stop.set()
        reader.join()
    snap = m.snapshot()
    polls = len([i for i in range(total) if i % 3 == 0])
    assert snap["asample"].attempts.count + snap["retrieve_future"].attempts.count == total
    assert snap["retrieve_future"].polls == polls
    assert snap["asample"].bytes_sent + snap["retrieve_future"].bytes_sent == 10 * total
    assert snap["asample"].bytes_received + snap["retrieve_future"].bytes_received == 20 * total
    assert snap["asample"].calls.count == total
    assert snap["asample"].errors["ValueError"] == len(range(0, total, 5))


def test_a_result_is_in_the_metrics_as_soon_as_the_caller_has_it(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    # The call's record ends before its outcome is handed on: no sleep, no race (50 times).
    tc = service.create_lora_training_client("tiny/model", rank=4)
    for n in range(1, 51):
        tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
        assert service.metrics()["optim_step"].calls.count == n
