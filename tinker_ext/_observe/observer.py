"""The hooks the send path calls: one `Observer` per ServiceClient (on its `HttpClient`).

A logical call (one public method's work: a submission and the polls of its future, or a plain request)
is started by `Observer.start_call(capture, context)` before its task starts: the `CallRecord` becomes
the current call of the context the task runs in, so every HTTP attempt made for it (in sub-tasks too)
reports to it (`Observer.attempt_done`). `CallRecord.end(task)` runs when the task is done, before its
outcome reaches anyone, so a caller that has the result also sees it in the metrics. The call is named by
the first operation it sends that is not plumbing (session creation, client config, polls); its latency
runs from the submission to the result. Work outside any logical call (heartbeats) is counted per
attempt only.

Observation is always on, so the hot path pays little (`nox -s bench`'s "metrics overhead" row): no
wrapping coroutine, no object per attempt, and whether a call is traced is decided once, when it starts
(its attempts and polls make spans only if it is).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx

from tinker_ext._observe import tracing as otel
from tinker_ext._observe.metrics import FLUSH_AT, POLL_OPERATION, Metrics
from tinker_ext._observe.raw import APIResponse
from tinker_ext._observe.tracing import OTEL_TRACE_MODULE, Tracing
from tinker_ext._observe.waits import WaitReporter, WaitWatch

__all__ = ["CallRecord", "Observer", "current_call"]

logger = logging.getLogger("tinker_ext.metrics")

RAW_RESPONSES_CAPTURED = 4  # responses a `with_raw_response` call keeps
# Requests a call makes on the way to its own (they do not name it)
_PLUMBING = frozenset({POLL_OPERATION, "create_session", "client_config", "get_server_capabilities"})
_CURRENT: contextvars.ContextVar[CallRecord | None] = contextvars.ContextVar("tinker_ext_call", default=None)
_SEQ_ID = re.compile(rb'"seq_id":\s*(\d+)')
_MODEL_ID = re.compile(rb'"model_id":\s*"([^"]{1,200})"')
_PEEK_BYTES = 4096  # the attributes read from a JSON body when tracing: at its start and its end only
_perf_counter = time.perf_counter
_running_loop = asyncio.get_running_loop
_MODULES = sys.modules


# The record of the logical call running in this context (None outside one); a C call, for the hot path
current_call = _CURRENT.get


class CallRecord:
    """One logical call: its operation, attempts, retries, last responses, wait state, result."""

    __slots__ = (
        "attempts",
        "observer",
        "operation",
        "responses",
        "result",
        "retries",
        "span",
        "started",
        "succeeded",
        "tracer",
        "waiting",
    )

    def __init__(self, observer: Observer, keep_responses: int) -> None:
        self.observer = observer
        self.operation: str | None = None
        self.started = 0.0
        self.attempts = 0
        self.retries = 0
        # (response, retries taken, seconds, operation), the last `keep_responses` (None: none kept; a
        # response kept alive costs memory and GC time while the call runs); `APIResponse`s made when asked
        self.responses: deque[tuple[httpx.Response, int, float, str]] | None = (
            deque(maxlen=keep_responses) if keep_responses else None
        )
        self.result: Any = None
        self.succeeded = False
        self.tracer: Any = None  # set when the call is traced: its attempts and polls make spans too
        self.span: Any = None
        # set while a future of this call is polled: what it waits for (`_observe.waits`)
        self.waiting: WaitReporter | None = None

    def raw_responses(self) -> list[APIResponse[Any]]:
        """The last responses behind this call (oldest first); once the call succeeded, the last one's
        `parse()` is its result."""
        raws: list[APIResponse[Any]] = [
            APIResponse(response, retries_taken=retries, elapsed=elapsed, operation=op)
            for response, retries, elapsed, op in self.responses or ()
        ]
        if raws and self.succeeded:
            raws[-1]._set_parsed(self.result)
        return raws

    def end(self, task: asyncio.Future[Any]) -> None:
        """The call's task is done (called before its outcome is handed on): metrics, span, error hook."""
        error: BaseException | None
        if task.cancelled():
            error = asyncio.CancelledError()
        else:
            error = task.exception()
            # The result is kept only for the raw responses' `parse()`: a record can outlive its call
            # (the contexts of timer handles made in its task hold it until they expire).
            if self.responses is not None:
                self.succeeded = error is None
                if error is None:
                    self.result = task.result()
        self.waiting = None
        observer = self.observer
        operation = self.operation
        if operation is not None:  # `Metrics.call`, inline (hot path)
            metrics = observer.metrics
            records = metrics.pending.get(operation) or metrics.pending_records(operation)
            if error is not None:
                records.call_errors.append(type(error).__name__)
            latencies = records.call_ms
            latencies.append((_perf_counter() - self.started) * 1000.0)
            if len(latencies) >= FLUSH_AT:
                metrics.flush()
            if metrics.exporter is not None:
                metrics.maybe_export()
        if self.span is not None:
            self.span.update_name(f"tinker_ext {self.operation or 'call'}")
            otel.end_span(
                self.span,
                error,
                {
                    "tinker.operation": self.operation,
                    "tinker.retries": self.retries,
                    "tinker.attempts": self.attempts,
                },
            )
        if observer.on_error is not None and isinstance(error, Exception):
            try:
                observer.on_error(error)
            except Exception:  # a sink must not keep the result from its caller
                logger.exception("The error hook of the observer raised")


def _is_result(response: httpx.Response) -> bool:
    """Whether a poll's answer is a result (not a "try again" / metadata-only answer)."""
    content = response.content
    return not (b'"try_again"' in content[:200] or b'"complete_metadata"' in content[:200])


def _wire_of(response: httpx.Response) -> str:
    return "protobuf" if "protobuf" in response.headers.get("content-type", "") else "json"


def _request_attributes(req: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "http.request.method": req.method,
        "url.path": req.path,
        "tinker.operation": req.operation or "",
    }
    attrs.update(req.span_attributes or {})
    content = req.content
    if content is not None and req.content_type == "application/json":
        head, tail = content[:_PEEK_BYTES], content[-_PEEK_BYTES:]
        model = _MODEL_ID.search(head)
        if model is not None and "tinker.model_id" not in attrs:
            attrs["tinker.model_id"] = model.group(1).decode("utf-8", "replace")
        seq = _SEQ_ID.search(tail)
        if seq is not None and "tinker.seq_id" not in attrs:
            attrs["tinker.seq_id"] = int(seq.group(1))
    return attrs


class Observer:
    """Metrics (always), tracing (when enabled) and raw responses of one ServiceClient."""

    def __init__(
        self,
        metrics: Metrics | None = None,
        tracing: Tracing | None = None,
        *,
        keep_raw_responses: int = 0,
        wait_report_interval: float = 60.0,
    ) -> None:
        if (
            isinstance(keep_raw_responses, bool)
            or not isinstance(keep_raw_responses, int)
            or keep_raw_responses < 0
        ):
            raise ValueError("keep_raw_responses must be an int >= 0")
        if not wait_report_interval > 0:
            raise ValueError("wait_report_interval must be > 0 seconds")
        self.metrics = metrics or Metrics()
        self.tracing = tracing or Tracing()
        self.keep_raw_responses = keep_raw_responses
        self.wait_report_interval = wait_report_interval
        self.waits = WaitWatch()  # the polled futures of this client (`_observe.waits`)
        # told of every exception escaping a logical call (the telemetry sink, when on)
        self.on_error: Callable[[BaseException], None] | None = None

    def start_call(self, capture: bool, context: contextvars.Context) -> CallRecord:
        """A record for a new logical call whose task will run in `context` (a copy made for it); the
        task's done-callback must call `CallRecord.end` first. The call is current there, its clock
        starts now and, when tracing, its span is the current span there. `capture`: keep its responses
        even when this client keeps none (`with_raw_response`)."""
        call = CallRecord(self, self.keep_raw_responses or (RAW_RESPONSES_CAPTURED if capture else 0))
        call.started = _perf_counter()
        context.run(_CURRENT.set, call)
        tracing = self.tracing
        # `tracer()` is None unless opentelemetry was imported: checked here first, without a call
        tracer = tracing.tracer() if tracing.enabled is not False and OTEL_TRACE_MODULE in _MODULES else None
        if tracer is not None:
            call.tracer = tracer
            # parented by the submitter's current span (`context` is a copy of the submitter's)
            call.span = context.run(otel.start_span, tracer, "tinker_ext call", {})
            context.run(otel.activate, call.span)  # the copy is dropped with the task: no detach
        return call

    def attempt_span(self, req: Any, retries_taken: int, call: CallRecord | None) -> Any | None:
        """The span of an HTTP attempt about to be sent, or None (not tracing). Call it only outside a
        call or in a traced one (`call.tracer`); its `traceparent` goes on the request."""
        tracer = self.tracing.tracer() if call is None else call.tracer
        if tracer is None:
            return None
        operation = req.operation or f"{req.method} {req.path}"
        return otel.start_span(
            tracer, f"HTTP {req.method} {operation}", _request_attributes(req), client=True
        )

    def attempt_done(
        self,
        req: Any,
        started: float,
        response: httpx.Response | None,
        error: BaseException | None,
        sent: int,
        retries_taken: int,
        span: Any | None,
        call: CallRecord | None,
    ) -> None:
        """An HTTP attempt of `req` for `call` (`current_call()`), begun at `started`
        (`time.perf_counter`), ended with `response` or `error` (both for an error status), after
        sending `sent` bytes."""
        elapsed = _perf_counter() - started
        op = req.operation or f"{req.method} {req.path}"
        metrics = self.metrics  # `Metrics.attempt`, inline (hot path)
        records = metrics.pending.get(op) or metrics.pending_records(op)
        records.sent.append(sent)
        records.received.append(len(response.content) if response is not None else 0)
        latencies = records.attempt_ms
        latencies.append(elapsed * 1000.0)
        if len(latencies) >= FLUSH_AT:
            metrics.flush()
        if call is not None:
            call.attempts += 1
            named = call.operation
            # named by its first real operation (the names are the endpoint table's strings: `is` first)
            if named is not op and (named is None or (named in _PLUMBING and op not in _PLUMBING)):
                call.operation = op
            if (
                call.responses is not None
                and error is None
                and response is not None
                and (op != POLL_OPERATION or _is_result(response))
            ):
                call.responses.append((response, retries_taken, elapsed, op))
        if span is not None:
            otel.end_span(
                span,
                error,
                {
                    "http.response.status_code": None if response is None else response.status_code,
                    "tinker.retries": retries_taken,
                    "tinker.wire": None if response is None else _wire_of(response),
                },
            )

    def retry(self, req: Any, error: BaseException) -> None:
        """An attempt of `req` failed with `error` and is retried."""
        status = getattr(error, "status_code", None)
        reason = f"status_{status}" if isinstance(status, int) else type(error).__name__
        self.metrics.retry(req.operation or f"{req.method} {req.path}", reason)
        call = _CURRENT.get()
        if call is not None:
            call.retries += 1

    def watch(self, wait: WaitReporter) -> None:
        """Watch a future about to be polled (`wait.stop()` when done; `wait` made with this client's
        `wait_report_interval`): its long waits are reported, its queue states go to the metrics under its
        call's operation, and `wait.traced` says whether its polls get spans (`poll`)."""
        call = _CURRENT.get()
        wait.metrics = self.metrics
        if call is not None:
            if call.operation is not None:
                wait.operation = call.operation
            call.waiting = wait
            wait.traced = call.tracer is not None
        else:
            wait.traced = self.tracing.tracer() is not None
        waits = self.waits  # `WaitWatch.add`, inline (hot path)
        wait.watch = waits
        waits.active.add(wait)
        if waits.timer_due > wait.due or waits.loop is not _running_loop():
            waits.arm(wait.interval)

    def poll(self, request_id: str, request_type: str, iteration: int) -> AbstractContextManager[None] | None:
        """The span around one poll of a future (call it only when the wait report is `traced`)."""
        tracer = self.tracing.tracer()
        if tracer is None:
            return None
        return self._poll_span(tracer, request_id, request_type, iteration)

    @contextmanager
    def _poll_span(self, tracer: Any, request_id: str, request_type: str, iteration: int) -> Iterator[None]:
        span = otel.start_span(
            tracer,
            f"tinker_ext poll {request_type}",
            {"tinker.request_id": request_id, "tinker.request_type": request_type, "tinker.poll": iteration},
        )
        token = otel.activate(span)
        error: BaseException | None = None
        try:
            yield
        except BaseException as exc:
            error = exc
            raise
        finally:
            otel.deactivate(token)
            otel.end_span(span, error, {})
