"""Issue 22 on the real local servers: metrics per operation, raw responses behind futures and clients,
and the OpenTelemetry span tree (call -> poll -> HTTP attempt) with `traceparent` on the wire.
`TINKER_EXT_OBSERVE_DUMP=dir` writes the metrics snapshot and the span tree of each server there."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tinker_ext as tinker

pytestmark = pytest.mark.integration

TOKENS = list(range(5, 21))
DATA = [
    tinker.Datum(
        model_input=tinker.ModelInput.from_ints(TOKENS[:-1]),
        loss_fn_inputs={"target_tokens": TOKENS[1:], "weights": [1.0] * (len(TOKENS) - 1)},
    )
]


@pytest.fixture(scope="module")
def spans() -> Iterator[Any]:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace._TRACER_PROVIDER_SET_ONCE._done = False  # type: ignore[attr-defined]  # this module's provider
    trace.set_tracer_provider(provider)
    yield exporter


@pytest.fixture(scope="module")
def run(tinker_server: Any, spans: Any) -> Iterator[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as env:  # telemetry has a test of its own below
        env.setenv("TINKER_TELEMETRY", "0")
        service = tinker.ServiceClient(
            base_url=tinker_server.base_url, api_key=tinker_server.api_key, keep_raw_responses=4
        )
    with service:
        training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
        spans.clear()
        fb = training.forward_backward(DATA, "cross_entropy")
        fb.result()
        step = training.optim_step(tinker.AdamParams(learning_rate=1e-4))
        step.result()
        raw_info = training.with_raw_response.save_weights_for_sampler("observe").result()
        yield {
            "service": service,
            "fb": fb,
            "step": step,
            "raw_save": raw_info,
            "spans": spans.get_finished_spans(),
        }


_SHOWN = ("tinker.seq_id", "tinker.wire", "http.response.status_code", "tinker.poll")


def _tree(finished: Any) -> list[str]:
    by_id = {s.context.span_id: s for s in finished}
    lines: list[str] = []

    def walk(span: Any, depth: int) -> None:
        shown = {k: v for k, v in span.attributes.items() if k in _SHOWN}
        lines.append("  " * depth + span.name + (f"  {shown}" if shown else ""))
        for child in sorted(
            (s for s in finished if s.parent is not None and s.parent.span_id == span.context.span_id),
            key=lambda s: s.start_time,
        ):
            walk(child, depth + 1)

    for root in sorted(
        (s for s in finished if s.parent is None or s.parent.span_id not in by_id), key=lambda s: s.start_time
    ):
        walk(root, 0)
    return lines


def test_metrics_per_operation(run: dict[str, Any], tinker_server: Any) -> None:
    data = run["service"].metrics().to_dict()
    json.dumps(data)
    for op in ("create_model", "forward_backward", "optim_step", "save_weights_for_sampler"):
        assert data[op]["count"] == 1, (op, data[op])
        assert data[op]["p50_ms"] is not None and data[op]["p50_ms"] > 0 and data[op]["errors"] == {}
    assert data["forward_backward"]["bytes_sent"] > 0 and data["retrieve_future"]["polls"] >= 4
    assert (
        'tinker_ext_call_duration_seconds_count{operation="forward_backward"} 1'
        in run["service"].metrics().to_prometheus()
    )
    dump = os.environ.get("TINKER_EXT_OBSERVE_DUMP")
    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        kind = tinker_server.kind
        (Path(dump) / f"metrics-{kind}.json").write_text(json.dumps(data, indent=1))
        (Path(dump) / f"spans-{kind}.txt").write_text("\n".join(_tree(run["spans"])))


def test_raw_responses_behind_futures_and_clients(run: dict[str, Any]) -> None:
    fb_raws = run["fb"].raw_responses
    assert fb_raws[0].operation == "forward_backward" and fb_raws[0].status_code == 200
    assert fb_raws[-1].operation == "retrieve_future" and fb_raws[-1].parse() is run["fb"].result()
    assert all(r.elapsed.total_seconds() > 0 and r.retries_taken >= 0 for r in fb_raws)
    raw = run["raw_save"]
    assert isinstance(raw, tinker.APIResponse) and raw.status_code == 200 and raw.method == "POST"
    assert raw.parse().path.startswith("tinker://")


def test_span_tree(run: dict[str, Any]) -> None:
    finished = run["spans"]
    by_id = {s.context.span_id: s for s in finished}
    roots = [s for s in finished if s.parent is None]
    names = [s.name for s in roots]
    assert "tinker_ext forward_backward" in names and "tinker_ext optim_step" in names
    fb_root = next(s for s in roots if s.name == "tinker_ext forward_backward")
    children = [s for s in finished if s.parent is not None and s.parent.span_id == fb_root.context.span_id]
    assert any(c.name == "HTTP POST forward_backward" for c in children)
    polls = [c for c in children if c.name.startswith("tinker_ext poll")]
    assert polls
    for poll in polls:
        attempts = [s for s in finished if s.parent is not None and s.parent.span_id == poll.context.span_id]
        assert [a.name for a in attempts] == ["HTTP POST retrieve_future"]
        assert attempts[0].attributes["http.response.status_code"] in (200, 408)
    submit = next(c for c in children if c.name == "HTTP POST forward_backward")
    assert submit.attributes["tinker.seq_id"] >= 1 and submit.attributes["tinker.model_id"]
    assert all(by_id.get(s.parent.span_id) is not None for s in finished if s.parent is not None)


def test_telemetry_on_a_real_server_never_breaks_the_run(
    tinker_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telemetry on (0.38's default): a server with the route takes the batch, one without it (404/405)
    is asked once and telemetry stops; the run goes on either way."""
    monkeypatch.setenv("TINKER_TELEMETRY", "1")
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    telemetry = service.get_telemetry()
    assert telemetry is not None
    service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=5)
    service.close()
    assert telemetry.sent == 2 or telemetry.disabled  # SESSION_START + SESSION_END, or no route
    calls = service.metrics().to_dict()["send_telemetry"]
    assert calls["attempts"] == 1 or (calls["attempts"] >= 1 and telemetry.sent == 2)
