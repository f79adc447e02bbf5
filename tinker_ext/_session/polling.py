"""Polling a server's future (`retrieve_future`) until its request finishes, as docs/PROTOCOL.md
("Futures and polling") describes; `poll_future`'s docstring has the classification of answers. The queue
state of a polled request is reported to logs, callbacks, metrics and the wait report on the way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs
import httpx
from tinker_ext_raw import endpoints
from tinker_ext_raw.public import FutureRetrieveRequest, QueueState, RequestErrorCategory

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    FutureTimeoutError,
    PromiseExpiredError,
    RequestFailedError,
)
from tinker_ext._observe.waits import WaitReporter
from tinker_ext._wire.answer_checks import check_json_values
from tinker_ext._wire.calls import request_for
from tinker_ext._wire.http import (
    PROTOBUF_CONTENT_TYPE,
    ApiRequest,
    HttpClient,
    decode_json,
    decode_model,
    is_protobuf,
)
from tinker_ext._wire.json_arrays import NumpyDtype
from tinker_ext._wire.limits import result_bytes_cap
from tinker_ext._wire.retry import RETRIEVE_FUTURE_TIMEOUT

__all__ = [
    "MAX_CONNECTION_OUTAGE_S",
    "QueueStateCallback",
    "QueueStateChange",
    "poll_future",
    "result_converters",
]

logger = logging.getLogger("tinker_ext.futures")

T = TypeVar("T")

_MAX_BARE_400_RETRIES = 3
_MAX_CONSECUTIVE_5XX = 10
_MAX_BACKOFF_S = 30.0
# A server that refuses or drops every connection for this long is gone, not slow: give up instead of
# waiting out the whole future deadline (the official holder gives up after 300 s the same way).
# Read timeouts of the long poll do not count: a busy server may legitimately hold the poll.
MAX_CONNECTION_OUTAGE_S = 300.0
_ACCEPT_PROTOBUF_OR_JSON = f"{PROTOBUF_CONTENT_TYPE}, application/json"


# ------------------------------------------------------------------------------------------- queue state


_DEFAULT_REASONS: dict[str, str] = {
    QueueState.PAUSED_CAPACITY: "Tinker backend is running short on capacity, please wait",
    QueueState.PAUSED_RATE_LIMIT: "concurrent clients rate limit hit",
}


@attrs.frozen
class QueueStateChange:
    """Reported to `on_queue_state_change` callbacks when the server's queue state for a request changes."""

    request_id: str
    queue_state: str
    reason: str | None


QueueStateCallback = Callable[[QueueStateChange], None]


class _QueueStateReporter(WaitReporter):
    """The queue state of one polled future, what its user is told of changes (logs, the
    `on_queue_state_change` callback), and its wait report (`_observe.waits`, once the observer
    watches it)."""

    __slots__ = ("callback",)

    def __init__(
        self, request_id: str, request_type: str, callback: QueueStateCallback | None, interval: float
    ) -> None:
        WaitReporter.__init__(self, request_type, request_id, interval, queue_state=QueueState.ACTIVE)
        self.callback = callback

    def report(self, state: QueueState, reason: str | None) -> None:
        if state == QueueState.UNKNOWN and reason is None:
            return
        if state == self.queue_state:
            return
        self.transition(self.queue_state, state)  # metrics (when watched) and the wait report
        if state == QueueState.ACTIVE:
            logger.info("%s %s is active again", self.request_type, self.request_id)
        else:
            shown = reason or _DEFAULT_REASONS.get(state, "unknown")
            logger.warning(
                "%s %s is paused (%s). Reason: %s.", self.request_type, self.request_id, state, shown
            )
        if self.callback is not None:
            try:
                self.callback(QueueStateChange(self.request_id, state, reason))
            except Exception:  # a user callback must not break polling
                logger.exception("on_queue_state_change callback raised")


# ---------------------------------------------------------------------------------------------- polling


def _detail(body: Any) -> str | None:
    if isinstance(body, dict):
        detail = body.get("detail")
        if detail is None:
            detail = body.get("error")
        if detail is not None and detail != "":
            return detail if isinstance(detail, str) else str(detail)
    return None


@attrs.define
class _Poll(Generic[T]):
    """One future being polled: what to send next, and what an answer or failure means for it (the
    policy in `poll_future`'s docstring). Each `after_*` either returns (poll again) or raises."""

    http: HttpClient
    request_id: str
    request_type: str
    deadline: float | None
    reporter: _QueueStateReporter
    extra_headers: dict[str, str] | None
    accept_protobuf: bool
    allow_metadata_only: bool = True
    iteration: int = 0
    backoff_exponent: int = 0
    outage_started: float | None = None
    bare_400s: int = 0
    consecutive_5xx: int = 0
    consecutive_try_again: int = 0

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.http.timing.clock()

    async def pause(self, seconds: float) -> None:
        left = self.remaining()
        if left is not None:
            seconds = min(seconds, max(left, 0.0))
        if seconds > 0:
            await self.http.timing.sleep(seconds)

    async def back_off(self) -> None:
        await self.pause(min(2.0**self.backoff_exponent, _MAX_BACKOFF_S))
        self.backoff_exponent += 1

    def next_request(self) -> ApiRequest:
        left = self.remaining()
        if left is not None and left <= 0:
            raise FutureTimeoutError(
                f"Request {self.request_id} ({self.request_type}) did not finish before its deadline"
            )
        timeout = RETRIEVE_FUTURE_TIMEOUT
        if left is not None and left < (timeout.read or 45.0):
            read = max(left, 0.001)
            timeout = httpx.Timeout(read, connect=min(timeout.connect or read, read))
        headers = {
            "X-Tinker-Request-Iteration": str(self.iteration),
            "X-Tinker-Request-Type": self.request_type,
        }
        if self.accept_protobuf:
            headers["Accept"] = _ACCEPT_PROTOBUF_OR_JSON
        headers.update(self.extra_headers or {})
        self.iteration += 1
        body = FutureRetrieveRequest(request_id=self.request_id, allow_metadata_only=self.allow_metadata_only)
        return request_for(
            endpoints.RETRIEVE_FUTURE, body, headers=headers, timeout=timeout, max_retries=0
        ).request

    async def after_status_error(self, exc: APIStatusError) -> None:
        status = exc.status_code
        self.outage_started = None  # the server answered
        if status == 429:
            await self.back_off()
            return
        self.backoff_exponent = 0
        if status == 408:
            self.bare_400s = self.consecutive_5xx = 0
            if isinstance(exc.body, dict) and "queue_state" in exc.body:
                self.reporter.report(
                    QueueState.parse(exc.body.get("queue_state")), exc.body.get("queue_state_reason")
                )
        elif status >= 500:
            self.consecutive_5xx += 1
            if self.consecutive_5xx > _MAX_CONSECUTIVE_5XX:
                raise exc
            await self.pause(
                self.http.retry_policy.backoff_delay(self.consecutive_5xx - 1, self.http.timing.random())
            )
        elif status == 400:
            detail = _detail(exc.body)
            if detail is not None:
                raise RequestFailedError(
                    f"Request {self.request_id} ({self.request_type}) failed: {detail}",
                    request_id=self.request_id,
                    category=RequestErrorCategory.USER,
                ) from None
            self.bare_400s += 1
            if self.bare_400s > _MAX_BARE_400_RETRIES:
                raise exc
        elif status == 410:
            raise PromiseExpiredError(
                f"Request {self.request_id} ({self.request_type}): promise expired - {exc.message}",
                response=exc.response,
                body=exc.body,
            ) from None
        else:
            raise exc

    async def after_connection_error(self, exc: APIConnectionError) -> None:
        if not isinstance(exc, APITimeoutError):
            now = self.http.timing.clock()
            self.outage_started = now if self.outage_started is None else self.outage_started
            if now - self.outage_started > MAX_CONNECTION_OUTAGE_S:
                raise exc
        await self.back_off()

    async def pending(self, body: Any) -> bool:
        """Whether a decoded 200 answer says "not yet" (re-poll); raises for a failed request."""
        if not isinstance(body, dict):
            return False
        if body.get("type") == "try_again":
            self.reporter.report(QueueState.parse(body.get("queue_state")), body.get("queue_state_reason"))
            self.consecutive_try_again += 1
            if self.consecutive_try_again > 3:  # a server that does not long-poll cannot make us spin
                await self.pause(min(0.05 * 2.0 ** (self.consecutive_try_again - 4), 1.0))
            return True
        if body.get("status") == "complete_metadata":
            self.allow_metadata_only = False
            return True
        if "error" in body:
            raise RequestFailedError(
                f"Request {self.request_id} ({self.request_type}) failed: {body.get('error')}",
                request_id=self.request_id,
                category=RequestErrorCategory.parse(body.get("category", "unknown")),
            )
        return False


def result_converters(
    result_type: type[T],
) -> tuple[Callable[[Any], T], Callable[[bytes], T] | None, str]:
    """How to read the result of a future of `result_type` (a public answer type such as
    ForwardBackwardOutput, OptimStepResponse, SaveWeightsResponse, SampleResponse): the JSON converter, the
    protobuf one (only forward(_backward) and sample results have one) and the request type to report."""
    from tinker_ext_raw.public import ForwardBackwardOutput, SampleResponse

    from tinker_ext._core.exceptions import InvalidInputError
    from tinker_ext._wire.proto import decode_forward_backward_output, decode_sample_response

    if not isinstance(result_type, type):
        raise InvalidInputError(f"result_type must be a result class, got {result_type!r}")
    convert = getattr(result_type, "from_wire", None) or getattr(result_type, "from_json", None)
    if convert is None:
        raise InvalidInputError(
            f"result_type must be a public answer type (with from_json), got {result_type.__name__}"
        )
    protobuf: Any = None
    if result_type is ForwardBackwardOutput:
        protobuf = decode_forward_backward_output
    elif result_type is SampleResponse:
        protobuf = decode_sample_response
    name = result_type.__name__
    for suffix in ("Response", "Output"):
        name = name.removesuffix(suffix)
    return convert, protobuf, name or result_type.__name__


async def poll_future(
    http: HttpClient,
    request_id: str,
    convert: Callable[[Any], T],
    *,
    request_type: str,
    deadline: float | None = None,
    on_queue_state_change: QueueStateCallback | None = None,
    extra_headers: dict[str, str] | None = None,
    convert_protobuf: Callable[[bytes], T] | None = None,
    max_result_bytes: int | None = None,
    numpy_dtype: NumpyDtype | None = None,
) -> T:
    """Poll `retrieve_future` until the request finishes; return `convert(result_json)`, or
    `convert_protobuf(body)` for a protobuf result (given only for the types that have one: sample and
    forward/forward_backward results; we then accept both, JSON-era servers ignore the Accept header).

    `deadline` is an absolute time on `http.timing.clock`; past it FutureTimeoutError is raised. A body
    longer than `max_result_bytes` (the most the request can produce) is a LimitExceededError before it
    is parsed. The long number arrays of a JSON result that `numpy_dtype` names a dtype for reach
    `convert` as numpy arrays (not a Python object per value).

    200 bodies: `{"type": "try_again", queue_state, queue_state_reason?}` re-polls (after a short backoff
    only when try_agains come back to back, so a server that does not long-poll cannot make us spin);
    `{"status": "complete_metadata"}` re-polls asking for the payload; `{"error", "category"}` raises
    RequestFailedError; anything else is the result, decoded and parsed once. HTTP 408 and 5xx re-poll
    (5xx at most 10 times in a row); 429 and transport errors back off min(2^k, 30) s; 400 with a
    `detail` (how skyrl-tx reports a failed request) raises RequestFailedError(category=user), a bare 400
    is retried 3 times; 410 raises PromiseExpiredError; other statuses raise their status error.
    """
    observer = http.observer
    reporter = _QueueStateReporter(
        request_id, request_type, on_queue_state_change, observer.wait_report_interval
    )
    observer.watch(reporter)  # its wait report and queue-state metrics
    poll: _Poll[T] = _Poll(
        http, request_id, request_type, deadline, reporter, extra_headers, convert_protobuf is not None
    )
    try:
        return await _poll_loop(http, poll, convert, convert_protobuf, max_result_bytes, numpy_dtype)
    finally:
        reporter.stop()


async def _poll_loop(
    http: HttpClient,
    poll: _Poll[T],
    convert: Callable[[Any], T],
    convert_protobuf: Callable[[bytes], T] | None,
    max_result_bytes: int | None,
    numpy_dtype: NumpyDtype | None,
) -> T:
    request_id, request_type, reporter = poll.request_id, poll.request_type, poll.reporter
    while True:
        request = poll.next_request()
        reporter.polls += 1  # `WaitReporter.polled()`, inline
        span = http.observer.poll(request_id, request_type, poll.iteration) if reporter.traced else None
        try:
            with result_bytes_cap(max_result_bytes):
                if span is None:
                    response = await http.send(request)
                else:
                    with span:
                        response = await http.send(request)
        except APIStatusError as exc:
            await poll.after_status_error(exc)
            continue
        except APIConnectionError as exc:
            await poll.after_connection_error(exc)
            continue
        poll.backoff_exponent = poll.consecutive_5xx = 0
        poll.outage_started = None
        if is_protobuf(response):
            if convert_protobuf is None:
                raise APIResponseValidationError(
                    message=f"Request {request_id} ({request_type}): the result came as protobuf, which "
                    "this request type does not have",
                    response=response,
                    body=None,
                )
            reporter.report(QueueState.ACTIVE, None)
            return decode_model(response.content, convert_protobuf, response)
        if max_result_bytes is not None:  # a result with a budget: its value count, before parsing
            check_json_values(response.content, http.limits)
        body = decode_json(response, numpy_dtype)
        if await poll.pending(body):
            continue
        reporter.report(QueueState.ACTIVE, None)
        return decode_model(body, convert, response)
