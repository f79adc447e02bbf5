"""The hooks the send path calls: one `Observer` per ServiceClient (on its `HttpClient`).

A logical call (one public method's work: a submission and the polls of its future, or a plain request)
runs inside `Observer.observed(coro, call)`, which sets a `CallRecord` as the context's current call: every
HTTP attempt made for it (in sub-tasks too) reports to it through `Observer.attempt(req)`. The call is
named by the first operation it sends that is not plumbing (session creation, client config, polls);
its latency runs from the first await to the result. Work outside any logical call (heartbeats) is
counted per attempt only.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

import httpx

from tinker_ext._observe import tracing as otel
from tinker_ext._observe.metrics import Metrics
from tinker_ext._observe.raw import APIResponse
from tinker_ext._observe.tracing import Tracing
from tinker_ext._observe.waits import WaitReporter, WaitWatch

__all__ = ["Attempt", "CallRecord", "Observer", "PolledFuture", "current_call"]

T = TypeVar("T")

POLL_OPERATION = "retrieve_future"
RAW_RESPONSES_CAPTURED = 4  # responses a `with_raw_response` call keeps
# Requests a call makes on the way to its own (they do not name it)
_PLUMBING = frozenset({POLL_OPERATION, "create_session", "client_config", "get_server_capabilities"})
_CURRENT: contextvars.ContextVar[CallRecord | None] = contextvars.ContextVar("tinker_ext_call", default=None)
_SEQ_ID = re.compile(rb'"seq_id":\s*(\d+)')
_MODEL_ID = re.compile(rb'"model_id":\s*"([^"]{1,200})"')
_NOTHING: AbstractContextManager[None] = nullcontext()
_PEEK_BYTES = 4096  # the attributes read from a JSON body when tracing: at its start and its end only
_perf_counter = time.perf_counter


def current_call() -> CallRecord | None:
    return _CURRENT.get()


class CallRecord:
    """One logical call: its operation, attempts, retries, last responses, wait state, result."""

    __slots__ = (
        "attempts",
        "finished",
        "operation",
        "responses",
        "result",
        "retries",
        "span",
        "started",
        "succeeded",
        "waiting",
    )

    def __init__(self, keep_responses: int) -> None:
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
        self.finished = False
        self.span: Any = None
        # set while a future of this call is polled: what it waits for (`_observe.waits`)
        self.waiting: dict[str, Any] | None = None

    def name(self, operation: str) -> None:
        if self.operation is None or (self.operation in _PLUMBING and operation not in _PLUMBING):
            self.operation = operation

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


class Attempt:
    """One HTTP attempt being observed (`done` once, with its response or error)."""

    __slots__ = ("call", "metrics", "operation", "retries_taken", "span", "started")

    def __init__(self, observer: Observer, req: Any, retries_taken: int) -> None:
        self.metrics = observer.metrics
        self.operation: str = req.operation or f"{req.method} {req.path}"
        self.retries_taken = retries_taken
        self.call = _CURRENT.get()
        tracer = observer.tracing.tracer()
        self.span: Any = (
            None
            if tracer is None
            else otel.start_span(
                tracer, f"HTTP {req.method} {self.operation}", _request_attributes(req), client=True
            )
        )
        self.started = _perf_counter()

    def headers(self) -> Mapping[str, str] | None:
        """Headers this attempt adds to its request (the W3C trace context when tracing; else None)."""
        return otel.traceparent_headers(self.span) if self.span is not None else None

    def done(self, response: httpx.Response | None, error: BaseException | None, sent: int) -> None:
        elapsed = _perf_counter() - self.started
        op = self.operation
        self.metrics.attempt(
            op,
            elapsed * 1000.0,
            sent,
            len(response.content) if response is not None else 0,
            op == POLL_OPERATION,
        )
        call = self.call
        if call is not None:
            call.attempts += 1
            call.name(op)
            if (
                call.responses is not None
                and error is None
                and response is not None
                and (op != POLL_OPERATION or _is_result(response))
            ):
                call.responses.append((response, self.retries_taken, elapsed, op))
        if self.span is not None:
            otel.end_span(
                self.span,
                error,
                {
                    "http.response.status_code": None if response is None else response.status_code,
                    "tinker.retries": self.retries_taken,
                    "tinker.wire": None if response is None else _wire_of(response),
                },
            )


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


class PolledFuture(WaitReporter):
    """The wait report of one polled future (`_observe.waits`), plus its queue-state metrics."""

    __slots__ = ("metrics", "operation", "since")

    def __init__(self, observer: Observer, request_type: str, request_id: str) -> None:
        super().__init__(request_type, request_id, observer.wait_report_interval, observer.waits)
        self.metrics = observer.metrics
        call = _CURRENT.get()
        self.operation = (call.operation if call is not None else None) or request_type
        self.since = self.state["started"]
        self.state["queue_state"] = "active"  # what the poller assumes until told
        if call is not None:
            call.waiting = self.state

    def transition(self, old: str, new: str) -> None:
        """The queue state went from `old` to `new` (metrics: the transition and how long `old` lasted)."""
        now = time.monotonic()
        self.metrics.queue_state(self.operation, str(old), str(new), (now - self.since) * 1000.0)
        self.since = now
        self.state["queue_state"] = str(new)


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

    def new_call(self, capture: bool = False) -> CallRecord:
        """A record for a new logical call; `capture`: keep its responses even when this client keeps
        none (`with_raw_response`)."""
        return CallRecord(self.keep_raw_responses or (RAW_RESPONSES_CAPTURED if capture else 0))

    async def observed(self, coro: Coroutine[Any, Any, T], call: CallRecord) -> T:
        """Run `coro` as the logical call `call` (metrics, span, responses)."""
        token = _CURRENT.set(call)
        tracer = self.tracing.tracer()
        span_token: object | None = None
        if tracer is not None:
            call.span = otel.start_span(tracer, "tinker_ext call", {})
            span_token = otel.activate(call.span)
        call.started = time.perf_counter()
        error: BaseException | None = None
        try:
            call.result = await coro
            return call.result  # type: ignore[no-any-return]
        except BaseException as exc:
            error = exc
            if self.on_error is not None and isinstance(exc, Exception):
                self.on_error(exc)
            raise
        finally:
            call.finished = True
            call.waiting = None
            call.succeeded = error is None
            if call.operation is not None:
                self.metrics.call(call.operation, (time.perf_counter() - call.started) * 1000.0, error)
            if span_token is not None:
                otel.deactivate(span_token)
                call.span.update_name(f"tinker_ext {call.operation or 'call'}")
                otel.end_span(
                    call.span,
                    error,
                    {
                        "tinker.operation": call.operation,
                        "tinker.retries": call.retries,
                        "tinker.attempts": call.attempts,
                    },
                )
            _CURRENT.reset(token)

    def polled_future(self, request_type: str, request_id: str) -> PolledFuture:
        """The wait report of a future about to be polled (started; `stop()` it when done)."""
        wait = PolledFuture(self, request_type, request_id)
        wait.start()
        return wait

    def attempt(self, req: Any, retries_taken: int) -> Attempt:
        return Attempt(self, req, retries_taken)

    def retry(self, req: Any, error: BaseException) -> None:
        """An attempt of `req` failed with `error` and is retried."""
        status = getattr(error, "status_code", None)
        reason = f"status_{status}" if isinstance(status, int) else type(error).__name__
        self.metrics.retry(req.operation or f"{req.method} {req.path}", reason)
        call = _CURRENT.get()
        if call is not None:
            call.retries += 1

    def poll(self, request_id: str, request_type: str, iteration: int) -> AbstractContextManager[None]:
        """Around one poll of a future: its span (when tracing; else a shared no-op)."""
        tracer = self.tracing.tracer()
        if tracer is None:
            return _NOTHING
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
