"""The one HTTP layer of tinker-ext.

Everything that goes over the wire passes through `HttpClient.send`: it adds the auth header and one
idempotency key per logical call (the same key on every retry of that call), serialises bodies with
orjson (refusing NaN/inf the way `json.dumps(allow_nan=False)` would), retries per `_wire.retry.RetryPolicy`,
and turns statuses >= 400 and transport failures into the `_core.exceptions` classes (`_wire.http_errors`). Requests are described
by `ApiRequest`, built from the endpoint table by `_wire.calls.request_for` (the body encoded once, in the
caller's thread) or directly for the few bodies that are not JSON (protobuf).

The API key lives in an `ApiKey` whose repr is redacted; every message built here is scrubbed of it, and
errors carry a copy of the request without the key header (`_wire.http_errors`).
"""

from __future__ import annotations

import itertools
import logging
import math
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import httpx

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APITimeoutError,
    InvalidInputError,
)
from tinker_ext._observe import tracing as otel
from tinker_ext._observe.observer import Observer, current_call
from tinker_ext._wire.answers import parse_checked
from tinker_ext._wire.bodies import PROTOBUF_CONTENT_TYPE, check_finite, decode_json, encode_json, is_protobuf
from tinker_ext._wire.connection_gate import DEFAULT_GRACE_S, DEFAULT_START, ConnectionGate
from tinker_ext._wire.credentials import REDACTED as _REDACTED
from tinker_ext._wire.credentials import ApiKey
from tinker_ext._wire.direct import DirectResponse, DirectSender
from tinker_ext._wire.http_errors import (
    SECRET_HEADERS,
    name_conflict,
    sanitised_request,
    scrub_secret_headers,
    status_error,
    wrap_transport_error,
)
from tinker_ext._wire.limits import ACCEPT_ENCODING, Limits, read_body, within_attempt_timeout
from tinker_ext._wire.origin import (
    API_KEY_HEADER,
    OriginKeyAuth,
    check_base_url,
    display_origin,
    follow,
    is_redirect,
    origin_of,
    redirect_target,
)
from tinker_ext._wire.retry import (
    DEFAULT_TIMEOUT,
    RetryPolicy,
    Timing,
    log_retry,
    nothing_answered,
    should_retry_response,
)
from tinker_ext._wire.transport import AiohttpTransport, default_transport

__all__ = [
    "API_KEY_HEADER",
    "IDEMPOTENCY_KEY_HEADER",
    "PROTOBUF_CONTENT_TYPE",
    "ApiKey",
    "ApiRequest",
    "HttpClient",
    "check_finite",
    "decode_json",
    "encode_json",
    "is_protobuf",
]

logger = logging.getLogger("tinker_ext.http")
_perf_counter = time.perf_counter

IDEMPOTENCY_KEY_HEADER = "X-Idempotency-Key"
# Headers whose values are credentials: never in reprs, logs, or the requests attached to errors.
USER_AGENT = "tinker-ext/0.1.0"
# Connections of a client built without a ServiceClient's sampling settings (REST-only clients, tests).
DEFAULT_POOL_SIZE = 64
# The shortest connect timeout of an attempt cut to the first-contact budget (0 would mean none at all).
_MIN_CONNECT_WINDOW_S = 1.0

T = TypeVar("T")


# -------------------------------------------------------------------------------------------- requests


def _redacted_headers(headers: Mapping[str, str]) -> str:
    return repr({k: _REDACTED if k.lower() in SECRET_HEADERS else v for k, v in headers.items()})


@attrs.frozen
class ApiRequest:
    """One logical HTTP call (retries of it share the idempotency key)."""

    method: str
    path: str
    body: Any = None  # JSON-able object; None = no body
    params: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=_redacted_headers)
    timeout: httpx.Timeout | None = None  # None = the client default
    max_retries: int | None = None  # None = the policy default
    idempotency_key: str | None = None  # None = a fresh uuid4 for non-GET calls
    # Already-encoded body (sent instead of `body`): big bodies are kept as bytes, not objects.
    content: bytes | None = attrs.field(default=None, repr=False)
    content_type: str = "application/json"  # of `content` (a JSON `body` is always application/json)
    # False: a 429 is raised at once (RateLimitError) instead of retried, for callers that back off
    # themselves (the sampling dispatcher, `_session.sample_dispatch`).
    retry_rate_limited: bool = True
    # The name the client chose for what this request creates (a checkpoint name): a 409 then means the
    # name is taken, which no retry changes, so it is raised at once as NameConflictError.
    conflict_name: str | None = None
    # From the endpoint table (x-tinker-ext-read-only / -idempotent); None = decided by the method.
    idempotent: bool | None = None
    # The endpoint's operation_id (metrics and spans are keyed by it; None: "METHOD path")
    operation: str | None = None
    # Extra span attributes when tracing (model id, seq id, chunk index, ...)
    span_attributes: Mapping[str, Any] | None = attrs.field(default=None, repr=False)


# ------------------------------------------------------------------------------------------------ client


def is_idempotent(req: ApiRequest) -> bool:
    """Whether applying `req` twice is the same as once: the endpoint table's flag (read-only POSTs,
    finishing a session), else by method."""
    if req.idempotent is not None:
        return req.idempotent
    return req.method in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")


def _checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """default_headers must be header-safe text (checked here, not at the first request)."""
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInputError("default_headers must map str to str")
        if any(ord(c) > 0x7E or (ord(c) < 0x20 and c != "\t") for c in name + value):
            raise InvalidInputError(
                f"default_headers[{name!r}] contains a control or non-ASCII character; it cannot be sent"
            )
        checked[name] = value
    return checked


class HttpClient:
    """Async HTTP client for one base URL + API key. Lives on the SDK's background event loop.

    `base_url` is checked here (absolute http/https URL) and the key only ever goes to its origin.
    `limits` bounds every response (size, inflation, time per attempt; see `_wire.limits`).
    `possible_duplicates` counts non-idempotent POSTs retried after the request may have reached the
    server (a server that ignores X-Idempotency-Key may have applied them twice).
    `pool_size` bounds the connections opened and kept alive (`_wire.transport`): httpx's default keeps only
    20 alive and closes an idle one whenever more than 20 are open, so a burst of concurrent requests
    reconnected for nearly every request. The SDK bounds its own concurrency
    (`_session.sample_dispatch.SamplingDispatch.pool_size`), so every connection it needs is kept.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: ApiKey,
        retry_policy: RetryPolicy | None = None,
        timing: Timing | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        limits: Limits | None = None,
        pool_size: int = DEFAULT_POOL_SIZE,
        initial_connections: int = DEFAULT_START,
        connection_grace: float = DEFAULT_GRACE_S,
        observer: Observer | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._origin = origin_of(self.base_url)
        self._api_key = api_key
        self.retry_policy = retry_policy or RetryPolicy()
        self.timing = timing or Timing()
        self.limits = limits or Limits()
        self._transport = transport
        self._default_headers = _checked_headers(default_headers)
        self._timeout = timeout
        self.pool_size = pool_size
        self._client: httpx.AsyncClient | None = None
        self._direct: DirectSender | None = None  # set with the client when the transport allows it
        # Attempts on the wire at once (both paths): the connections opened follow what the server holds.
        self.gate = ConnectionGate(pool_size, start=initial_connections, grace=connection_grace)
        self.possible_duplicates = 0
        # Whether any attempt got past connecting: until then `send` gives up on connect failures after
        # `retry_policy.first_contact_timeout`.
        self.reached = False
        self.observer = observer or Observer()  # metrics, spans, raw responses (`_observe`)

    def __repr__(self) -> str:
        base_url = getattr(self, "base_url", None)
        return f"HttpClient(origin={None if base_url is None else display_origin(base_url)!r})"

    def public_default_headers(self) -> dict[str, str]:
        """The extra default headers, without any credential header (for sampler handles)."""
        return {k: v for k, v in self._default_headers.items() if k.lower() not in SECRET_HEADERS}

    @property
    def api_key(self) -> ApiKey:
        return self._api_key

    def _httpx(self) -> httpx.AsyncClient:
        if self._client is None:
            transport = self._transport or default_transport(self.pool_size)
            headers = {
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            }
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self._timeout,
                transport=transport,
                follow_redirects=False,  # see _attempt: every hop is checked
                auth=OriginKeyAuth(self._api_key, self.base_url),
                headers=headers,
            )
            if isinstance(transport, AiohttpTransport):  # the default one: the direct path (`_wire.direct`)
                self._direct = DirectSender(
                    transport, self.base_url, self._api_key, {**headers, **self._default_headers}, self.limits
                )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
            self._direct = None

    def _build(
        self,
        req: ApiRequest,
        idempotency_key: str | None,
        content: bytes | None,
        connect_within: float | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> httpx.Request:
        """The httpx request of one attempt (the key header is added by OriginKeyAuth at send time, for
        this origin only)."""
        return self._httpx().build_request(
            req.method,
            req.path,
            content=content,
            params=dict(req.params) if req.params else None,
            headers=self._headers_of(req, idempotency_key, content, extra_headers),
            timeout=self._timeout_of(req, connect_within),
        )

    def _headers_of(
        self,
        req: ApiRequest,
        idempotency_key: str | None,
        content: bytes | None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        headers = {**self._default_headers, **req.headers, **(extra_headers or {})}
        if content is not None:
            headers["Content-Type"] = req.content_type if req.content is not None else "application/json"
        if idempotency_key is not None:
            headers[IDEMPOTENCY_KEY_HEADER] = idempotency_key
        return headers

    def _timeout_of(self, req: ApiRequest, connect_within: float | None) -> httpx.Timeout:
        """`connect_within`: seconds left to connect (name lookup included), if less than the timeout's."""
        timeout = req.timeout or self._timeout
        if connect_within is not None:  # a hanging name lookup or connect must not outlast the budget
            timeout = httpx.Timeout(
                connect=min(timeout.connect or math.inf, connect_within),
                pool=min(timeout.pool or math.inf, connect_within),
                read=timeout.read,
                write=timeout.write,
            )
        return timeout

    async def _attempt(
        self,
        req: ApiRequest,
        idempotency_key: str | None,
        content: bytes | None,
        connect_within: float | None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One attempt within `limits.attempt_timeout` and a slot of the connection gate: send, follow
        same-origin redirects, read the body within the size limits. On the direct path (`_wire.direct`)
        when the transport and request allow it, else through httpx."""
        client = self._httpx()
        direct = self._direct
        timeout = self._timeout_of(req, connect_within)
        if direct is not None and direct.accepts(req.path, req.params):
            headers = direct.headers(self._headers_of(req, idempotency_key, content, extra_headers))
            what = direct.what(req.method, req.path)

            async def run() -> httpx.Response:
                await self.gate.acquire(timeout.pool)
                try:
                    return await direct.attempt(req.method, req.path, headers, content, timeout)
                finally:
                    self.gate.release()

            return await within_attempt_timeout(self.limits, what, run)
        request = self._build(req, idempotency_key, content, connect_within, extra_headers)
        what = f"{request.method} {request.url.path}"

        async def run_httpx() -> httpx.Response:
            await self.gate.acquire(timeout.pool)
            try:
                current = request
                for hops in itertools.count():
                    response = await client.send(current, stream=True)
                    if not is_redirect(response):
                        return await read_body(response, self.limits)
                    await response.aclose()
                    target = redirect_target(response, allowed_origin=self._origin, hops=hops, what=what)
                    current = follow(current, target)
                raise AssertionError("unreachable")
            finally:
                self.gate.release()

        return await within_attempt_timeout(self.limits, what, run_httpx)

    async def send(self, req: ApiRequest) -> httpx.Response:
        """Send with retries; return the 2xx response or raise a typed error.

        Until some attempt of this client has reached the server, failed connects are retried for at
        most `retry_policy.first_contact_timeout` seconds: a wrong URL or a server that is not running
        fails fast, naming the URL, while a server that answered once and went away gets the full policy.
        """
        if req.content is not None:
            content: bytes | None = req.content
        else:
            content = encode_json(req.body) if req.body is not None else None
        idempotency_key = req.idempotency_key
        if idempotency_key is None and req.method != "GET":
            idempotency_key = str(uuid.uuid4())
        policy = self.retry_policy
        max_retries = policy.max_retries if req.max_retries is None else req.max_retries
        timing = self.timing
        observer = self.observer  # metrics, spans, traceparent (`_observe.observer`)
        sent = len(content) if content is not None else 0
        call = current_call()  # the logical call this request is sent for (None: none)
        started = timing.clock()
        retries_taken = 0
        timeouts = 0
        while True:
            connect_within = None
            if not self.reached:  # the last attempt still gets a short chance to connect
                left = policy.first_contact_timeout - (timing.clock() - started)
                connect_within = max(left, _MIN_CONNECT_WINDOW_S)
            # an attempt's span only outside a logical call or in a traced one (`CallRecord.tracer`)
            span = (
                observer.attempt_span(req, retries_taken, call)
                if call is None or call.tracer is not None
                else None
            )
            response: httpx.Response | None = None
            error: Exception
            connect_failed = False
            attempt_started = _perf_counter()
            trace_headers = None if span is None else otel.traceparent_headers(span)
            try:
                response = await self._attempt(req, idempotency_key, content, connect_within, trace_headers)
            except httpx.RequestError as exc:
                error = wrap_transport_error(exc, self._api_key)
                if isinstance(exc, httpx.TimeoutException):
                    timeouts += 1
                retryable = timeouts <= policy.max_timeout_retries
                connect_failed = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                maybe_applied = not connect_failed
            except Exception as exc:  # limits, refused redirects: not retried
                observer.attempt_done(req, attempt_started, None, exc, sent, retries_taken, span, call)
                raise
            else:
                # Responses end up inside exceptions (status and validation errors): drop the key header,
                # and the key itself if the server echoed it back.
                response = self._without_key(response)
                if response.status_code < 400:
                    self.reached = True
                    observer.attempt_done(
                        req, attempt_started, response, None, sent, retries_taken, span, call
                    )
                    return response
                error = status_error(response, self._api_key)
                retryable = should_retry_response(response) and (
                    req.retry_rate_limited or response.status_code != 429
                )
                if response.status_code == 409 and req.conflict_name is not None:
                    error = name_conflict(error, req.conflict_name, retries_taken > 0)
                    retryable = False
                maybe_applied = response.status_code >= 500 or response.status_code == 408
            self.reached = self.reached or not connect_failed
            error = scrub_secret_headers(error, req.headers)
            observer.attempt_done(req, attempt_started, response, error, sent, retries_taken, span, call)
            if timeouts > policy.max_timeout_retries and isinstance(error, APITimeoutError):
                error = _gave_up_on_timeouts(error, timeouts)
            elapsed = timing.clock() - started
            first_contact_left = policy.first_contact_timeout - elapsed if not self.reached else math.inf
            if (
                not retryable
                or retries_taken >= max_retries
                or elapsed >= policy.progress_timeout
                or first_contact_left <= 0
            ):
                if not self.reached and isinstance(error, APIConnectionError):
                    error = nothing_answered(error, self.base_url, retries_taken + 1, elapsed)
                raise error from None
            observer.retry(req, error)
            delay = min(policy.delay_for(retries_taken, response, timing), first_contact_left)
            log_retry(
                policy,
                f"{req.method} {req.path}",
                error,
                (retries_taken + 1, max_retries + 1),
                elapsed,
                delay,
                unreached=None if self.reached else self.base_url,
            )
            if maybe_applied and not is_idempotent(req):
                self._report_possible_duplicate(req)
            await timing.sleep(delay)
            retries_taken += 1

    def _without_key(self, response: httpx.Response) -> httpx.Response:
        content = response.content
        scrubbed = self._api_key.scrub_bytes(content)
        if scrubbed is content:
            # A direct answer's request is made from method and URL alone: nothing to remove from it.
            if not isinstance(response, DirectResponse):
                response.request = sanitised_request(response.request)
            return response
        dropped = ("content-length", "content-encoding")  # the content is decoded and changes length
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
        request = sanitised_request(response.request)
        return httpx.Response(response.status_code, headers=headers, content=scrubbed, request=request)

    def _report_possible_duplicate(self, req: ApiRequest) -> None:
        self.possible_duplicates += 1
        logger.warning(
            "Retrying %s %s after the request may have reached the server: a server that ignores "
            "X-Idempotency-Key may apply it twice (skyrl-tx 0.3.0: any POST; skyrl 0.4.0: those without "
            "a training seq_id, e.g. asample, as it deduplicates by model and seq_id) (%d such retries so far)",
            req.method,
            req.path,
            self.possible_duplicates,
        )

    async def send_json(self, req: ApiRequest) -> Any:
        return decode_json(await self.send(req))


def _gave_up_on_timeouts(error: APITimeoutError, timeouts: int) -> APITimeoutError:
    return APITimeoutError(
        message=f"{error.message}; gave up after {timeouts} timed-out attempts (raise "
        "RetryPolicy(max_timeout_retries=...) or the client's timeout= to wait longer)",
        request=error.request,
    )


def decode_model(data: Any, convert: Callable[[Any], T], response: httpx.Response | None = None) -> T:
    """Run a response converter, turning its parse errors into APIResponseValidationError."""
    return parse_checked("response body", convert, data, response)
