"""Prometheus text exposition (format 0.0.4) of a `MetricsSnapshot`'s operations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tinker_ext._observe.histogram import Histogram

__all__ = ["OperationRecord", "render"]


class OperationRecord(Protocol):
    """What is rendered of one operation (`metrics.OperationMetrics`; a protocol here so that this module
    needs nothing of `metrics`, which imports it)."""

    @property
    def calls(self) -> Histogram: ...
    @property
    def attempts(self) -> Histogram: ...
    @property
    def retries(self) -> Mapping[str, int]: ...
    @property
    def errors(self) -> Mapping[str, int]: ...
    @property
    def bytes_sent(self) -> int: ...
    @property
    def bytes_received(self) -> int: ...
    @property
    def polls(self) -> int: ...
    @property
    def transitions(self) -> Mapping[str, int]: ...
    @property
    def states(self) -> Mapping[str, Histogram]: ...


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{k}="{_label(v)}"' for k, v in labels.items()) + "}"


class _Text:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str) -> str:
        full = f"{self.prefix}_{name}"
        self.lines.append(f"# HELP {full} {help_text}")
        self.lines.append(f"# TYPE {full} {kind}")
        return full

    def summary(self, name: str, help_text: str, series: list[tuple[dict[str, str], Histogram]]) -> None:
        full = self.family(name, "summary", help_text)
        for labels, h in series:
            for q in (0.5, 0.95, 0.99):
                value = h.quantile(q)
                if value is not None:
                    self.lines.append(f"{full}{_labels(**labels, quantile=str(q))} {value / 1000.0!r}")
            self.lines.append(f"{full}_sum{_labels(**labels)} {h.sum_ms / 1000.0!r}")
            self.lines.append(f"{full}_count{_labels(**labels)} {h.count}")

    def counter(self, name: str, help_text: str, series: list[tuple[dict[str, str], int]]) -> None:
        full = self.family(name, "counter", help_text)
        self.lines.extend(f"{full}{_labels(**labels)} {value}" for labels, value in series)


def render(operations: Mapping[str, OperationRecord], prefix: str) -> str:
    ops = sorted(operations.items())
    text = _Text(prefix)
    text.summary(
        "call_duration_seconds",
        "Logical calls, request to result (futures polled to the end).",
        [({"operation": name}, m.calls) for name, m in ops],
    )
    text.summary(
        "attempt_duration_seconds",
        "HTTP attempts.",
        [({"operation": name}, m.attempts) for name, m in ops],
    )
    text.counter(
        "retries_total",
        "Retried HTTP attempts by reason.",
        [({"operation": name, "reason": r}, n) for name, m in ops for r, n in sorted(m.retries.items())],
    )
    text.counter(
        "errors_total",
        "Failed logical calls by error type.",
        [({"operation": name, "type": t}, n) for name, m in ops for t, n in sorted(m.errors.items())],
    )
    text.counter(
        "bytes_sent_total", "Request body bytes.", [({"operation": n}, m.bytes_sent) for n, m in ops]
    )
    text.counter(
        "bytes_received_total", "Response body bytes.", [({"operation": n}, m.bytes_received) for n, m in ops]
    )
    text.counter("polls_total", "Future polls.", [({"operation": n}, m.polls) for n, m in ops])
    text.counter(
        "queue_state_transitions_total",
        "Queue-state changes of requests (from->to).",
        [
            ({"operation": name, "from": t.split("->")[0], "to": t.split("->")[-1]}, n)
            for name, m in ops
            for t, n in sorted(m.transitions.items())
        ],
    )
    text.summary(
        "queue_state_seconds",
        "How long a request stayed in a queue state.",
        [({"operation": name, "state": s}, h) for name, m in ops for s, h in sorted(m.states.items())],
    )
    return "\n".join(text.lines) + "\n"
