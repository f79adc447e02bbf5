"""Per-operation metrics of one ServiceClient, always on and cheap.

An operation is the endpoint's `operation_id` (openapi.yaml). For each: logical calls (request to result,
futures polled to the end included) and their latency; HTTP attempts and theirs; retries by reason
(`status_503`, `ConnectError`, ...); errors by exception type; bytes sent and received; queue-state
transitions and how long each state lasted. Memory is bounded: a fixed-size `Histogram` per series,
counters keyed by a small set of names, and at most `FLUSH_AT` records waiting to be counted.

The two records of every request (its attempts, its call) are the hot path: each is a few C-level
appends, without a lock, to the columns of its operation's `PendingRecords` (`Metrics.pending`), counted
in batches, under the lock, by `flush` (when a column holds `FLUSH_AT`, and before every snapshot):
a float list becomes one numpy array per column, no Python work per record. Appends come from the SDK
loop's thread; a flush from another thread takes only what it saw of each column (`del column[:n]`), and
the columns are counted independently, so nothing is lost or counted twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np

from tinker_ext._observe.histogram import Histogram
from tinker_ext._observe.prometheus import render

__all__ = ["Metrics", "MetricsExporter", "MetricsSnapshot", "OperationMetrics"]

logger = logging.getLogger("tinker_ext.metrics")

_QUANTILES = (("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99))
# Bounds on the keys of the counters (a server inventing statuses cannot grow them without end)
_MAX_KEYS = 64
_MAX_OPERATIONS = 256
FLUSH_AT = 1024  # records of one operation waiting before they are counted (`Metrics.flush`)
POLL_OPERATION = "retrieve_future"  # its attempts are the polls of futures


def _bump(counter: Counter[str], key: str, by: int = 1) -> None:
    if key in counter or len(counter) < _MAX_KEYS:
        counter[key] += by
    else:
        counter["other"] += by


@attrs.define
class OperationMetrics:
    """What was recorded for one operation (a snapshot holds copies)."""

    calls: Histogram = attrs.field(factory=Histogram)
    attempts: Histogram = attrs.field(factory=Histogram)
    retries: Counter[str] = attrs.field(factory=Counter)
    errors: Counter[str] = attrs.field(factory=Counter)
    bytes_sent: int = 0
    bytes_received: int = 0
    polls: int = 0
    transitions: Counter[str] = attrs.field(factory=Counter)
    states: dict[str, Histogram] = attrs.field(factory=dict)

    def copy(self) -> OperationMetrics:
        return OperationMetrics(
            self.calls.copy(),
            self.attempts.copy(),
            Counter(self.retries),
            Counter(self.errors),
            self.bytes_sent,
            self.bytes_received,
            self.polls,
            Counter(self.transitions),
            {state: h.copy() for state, h in self.states.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"count": self.calls.count}
        out.update((name, _rounded(self.calls.quantile(q))) for name, q in _QUANTILES)
        out["mean_ms"] = _rounded(self.calls.sum_ms / self.calls.count) if self.calls.count else None
        out["max_ms"] = _rounded(self.calls.max_ms) if self.calls.count else None
        out["retries"] = dict(self.retries)
        out["errors"] = dict(self.errors)
        out["attempts"] = self.attempts.count
        out.update((f"attempt_{name}", _rounded(self.attempts.quantile(q))) for name, q in _QUANTILES)
        out["bytes_sent"] = self.bytes_sent
        out["bytes_received"] = self.bytes_received
        out["polls"] = self.polls
        out["queue_state_transitions"] = dict(self.transitions)
        out["queue_state_ms"] = {
            state: {"count": h.count, "p50_ms": _rounded(h.quantile(0.5)), "max_ms": _rounded(h.max_ms)}
            for state, h in self.states.items()
        }
        return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


MetricsExporter = Callable[["MetricsSnapshot"], None]


@attrs.frozen
class MetricsSnapshot(Mapping[str, OperationMetrics]):
    """The metrics of one ServiceClient at `taken_at` (unix time), by operation."""

    operations: Mapping[str, OperationMetrics]
    taken_at: float

    def __getitem__(self, operation: str) -> OperationMetrics:
        return self.operations[operation]

    def __iter__(self) -> Iterator[str]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """JSON-able: `{operation: {count, p50_ms, p95_ms, p99_ms, retries, errors, attempts, ...}}`."""
        return {op: m.to_dict() for op, m in sorted(self.operations.items())}

    def to_prometheus(self, prefix: str = "tinker_ext") -> str:
        """The snapshot in Prometheus' text exposition format (version 0.0.4)."""
        return render(self.operations, prefix)


class PendingRecords:
    """The records of one operation not counted yet, as columns (module docstring): per attempt its ms,
    bytes sent and bytes received; per call its ms; per failed call its error type."""

    __slots__ = ("attempt_ms", "call_errors", "call_ms", "received", "sent")

    def __init__(self) -> None:
        self.attempt_ms: list[float] = []
        self.sent: list[int] = []
        self.received: list[int] = []
        self.call_ms: list[float] = []
        self.call_errors: list[str] = []


def _take(column: list[Any]) -> list[Any]:
    """What `column` holds now, removed from it (what is appended meanwhile stays)."""
    n = len(column)
    taken = column[:n]
    del column[:n]
    return taken


class Metrics:
    """The recorder of one ServiceClient. `exporter` (optional) is called with a snapshot at most every
    `export_interval` seconds, after a call finishes, and once more by `export()` (at close)."""

    def __init__(self, exporter: MetricsExporter | None = None, export_interval: float = 10.0) -> None:
        if exporter is not None and not callable(exporter):
            raise TypeError("metrics_exporter must be a callable taking a MetricsSnapshot")
        if not export_interval > 0:
            raise ValueError("metrics_export_interval must be > 0")
        self._lock = threading.Lock()
        self._ops: dict[str, OperationMetrics] = {}
        # records not counted yet, by operation: append, then `flush()` once a column holds `FLUSH_AT`
        self.pending: dict[str, PendingRecords] = {}
        self.exporter = exporter
        self.export_interval = export_interval
        self._last_export = time.monotonic()

    def _op(self, operation: str) -> OperationMetrics:
        op = self._ops.get(operation)
        if op is None:
            if len(self._ops) >= _MAX_OPERATIONS:  # the endpoint table has fewer: never reached in practice
                operation = "other"
            op = self._ops.setdefault(operation, OperationMetrics())
        return op

    def pending_records(self, operation: str) -> PendingRecords:
        """The columns of `operation`'s records waiting to be counted (made on its first record)."""
        records = self.pending.get(operation)
        if records is None:
            with self._lock:
                if operation not in self.pending and len(self.pending) >= _MAX_OPERATIONS:
                    operation = "other"  # the endpoint table has fewer: never reached in practice
                records = self.pending.setdefault(operation, PendingRecords())
        return records

    def call(self, operation: str, ms: float, error: BaseException | None) -> None:
        """A logical call of `operation` took `ms` and failed with `error` (None: succeeded)."""
        records = self.pending.get(operation) or self.pending_records(operation)
        if error is not None:
            records.call_errors.append(type(error).__name__)
        records.call_ms.append(ms)
        if len(records.call_ms) >= FLUSH_AT:
            self.flush()
        self.maybe_export()

    def attempt(self, operation: str, ms: float, sent: int, received: int) -> None:
        """An HTTP attempt of `operation` took `ms`, sent `sent` bytes and received `received`."""
        records = self.pending.get(operation) or self.pending_records(operation)
        records.sent.append(sent)
        records.received.append(received)
        records.attempt_ms.append(ms)
        if len(records.attempt_ms) >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Count the records waiting (any thread; see the module docstring)."""
        with self._lock:
            for operation, records in list(self.pending.items()):
                if records.attempt_ms or records.sent or records.received:
                    self._count_attempts(operation, records)
                if records.call_ms or records.call_errors:
                    self._count_calls(operation, records)

    def _count_attempts(self, operation: str, records: PendingRecords) -> None:
        op = self._ops.get(operation) or self._op(operation)
        latencies = _take(records.attempt_ms)
        op.attempts.add_many(np.array(latencies, dtype=np.float64))
        op.bytes_sent += sum(_take(records.sent))
        op.bytes_received += sum(_take(records.received))
        if operation == POLL_OPERATION:
            op.polls += len(latencies)

    def _count_calls(self, operation: str, records: PendingRecords) -> None:
        op = self._ops.get(operation) or self._op(operation)
        op.calls.add_many(np.array(_take(records.call_ms), dtype=np.float64))
        for error in _take(records.call_errors):
            _bump(op.errors, error)

    def maybe_export(self) -> None:
        """Export now if an exporter is set and `export_interval` has passed since the last export."""
        if self.exporter is not None and time.monotonic() - self._last_export >= self.export_interval:
            self.export()

    def retry(self, operation: str, reason: str) -> None:
        with self._lock:
            _bump(self._op(operation).retries, reason)

    def queue_state(self, operation: str, old: str, new: str, lasted_ms: float) -> None:
        """The queue state of a request of `operation` went from `old` (held `lasted_ms`) to `new`."""
        with self._lock:
            op = self._op(operation)
            _bump(op.transitions, f"{old}->{new}")
            if old not in op.states and len(op.states) >= _MAX_KEYS:
                old = "other"
            op.states.setdefault(old, Histogram()).add(lasted_ms)

    def snapshot(self) -> MetricsSnapshot:
        self.flush()
        with self._lock:
            ops = {name: op.copy() for name, op in self._ops.items()}
        return MetricsSnapshot(ops, time.time())

    def export(self) -> None:
        """Hand a snapshot to the exporter now (errors of the exporter are logged, never raised)."""
        exporter = self.exporter
        self._last_export = time.monotonic()
        if exporter is None:
            return
        try:
            exporter(self.snapshot())
        except Exception:
            logger.exception("The metrics exporter raised")
