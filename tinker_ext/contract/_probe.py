"""Plain-httpx requests checked against the spec, and the per-step recorder they report into.

Deliberately independent of the SDK's clients and HTTP layer: a bug there must not hide (or invent) a
server bug. Only the spec is shared.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any, NoReturn

import attrs
import httpx

from ._report import Severity, Violation
from ._spec import ContractSpec, short_repr

__all__ = [
    "Exchange",
    "Probe",
    "StepFailed",
    "StepNotImplemented",
    "StepRecorder",
    "StepSkipped",
]

API_KEY_HEADER = "X-API-Key"
USER_AGENT = "tinker-ext-contract/0.1.0"
PROTOBUF = "application/x-protobuf"
IDEMPOTENCY_HEADER = "X-Idempotency-Key"
# What the SDKs accept for a synchronous call (Stainless clients take any 2xx).
ANY_2XX = tuple(range(200, 300))
# FastAPI/Starlette's body for a path no route matches; any other 404 is "resource not found".
_ROUTE_MISSING_DETAILS = {"not found", "not found."}


class StepFailed(Exception):
    """Stop the step now; it FAILs with the violations recorded so far."""


class StepNotImplemented(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class StepSkipped(Exception):
    pass


@attrs.define
class StepRecorder:
    """Collects what one step found."""

    name: str
    violations: list[Violation] = attrs.field(factory=list)
    http_status: int | None = None
    notes: list[str] = attrs.field(factory=list)

    @property
    def has_errors(self) -> bool:
        return any(v.severity is Severity.ERROR for v in self.violations)

    def add(
        self,
        rule: str,
        where: str,
        pointer: str,
        expected: str,
        got: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.violations.append(Violation(rule, where, pointer, expected, got, severity))

    def warn(self, rule: str, where: str, pointer: str, expected: str, got: str) -> None:
        self.add(rule, where, pointer, expected, got, Severity.WARNING)

    def fail(self, rule: str, where: str, pointer: str, expected: str, got: str) -> NoReturn:
        self.add(rule, where, pointer, expected, got)
        raise StepFailed(rule)

    def extend(self, violations: Collection[Violation]) -> None:
        self.violations.extend(violations)


@attrs.frozen
class Exchange:
    method: str
    path: str
    status: int
    headers: httpx.Headers
    content_type: str
    body: Any  # parsed JSON, or None when the body is not JSON
    text: str
    content: bytes = attrs.field(default=b"", repr=False)
    sent: str = ""  # what kind of body was sent, when not JSON (e.g. "protobuf body")

    @property
    def where(self) -> str:
        sent = f" ({self.sent})" if self.sent else ""
        return f"{self.method} {self.path}{sent} → {self.status}"


def _validation_detail(detail: Any) -> str | None:
    """FastAPI's 422 `detail` list as `body.field: message; ...` (names the refused request field)."""
    if not isinstance(detail, list) or not detail:
        return None
    parts = []
    for entry in detail[:3]:
        if not isinstance(entry, Mapping):
            return None
        loc = ".".join(str(part) for part in entry.get("loc", ()) if part is not None)
        parts.append(f"{loc}: {entry.get('msg', '')}")
    return "; ".join(parts)


def _detail(exchange: Exchange) -> str:
    if isinstance(exchange.body, Mapping):
        validation = _validation_detail(exchange.body.get("detail"))
        if validation is not None:
            return short_repr(validation)
        for key in ("detail", "error", "message"):
            if key in exchange.body:
                return short_repr(exchange.body[key])
    return short_repr(exchange.text.strip()[:160]) if exchange.text.strip() else "empty body"


def _sent_kind(headers: Mapping[str, str]) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    kind = (
        "protobuf" if PROTOBUF in lowered.get("content-type", "") else lowered.get("content-type", "binary")
    )
    encoding = lowered.get("content-encoding")
    return f"{kind}+{encoding} body" if encoding else f"{kind} body"


def _route_missing(exchange: Exchange) -> bool:
    if exchange.status == 405:
        return True
    if exchange.status != 404:
        return False
    body = exchange.body
    if body is None:
        return exchange.text.strip().lower() in ("", *_ROUTE_MISSING_DETAILS)
    detail = body.get("detail") if isinstance(body, Mapping) else None
    return isinstance(detail, str) and detail.strip().lower() in _ROUTE_MISSING_DETAILS


class Probe:
    """Sends the spec's operations to one server and checks each answer against the spec."""

    def __init__(
        self,
        spec: ContractSpec,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.spec = spec
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._api_key = api_key
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if api_key:
            headers[API_KEY_HEADER] = api_key
        self._transport = transport
        self._headers = headers
        self._client = self._new_client()

    def __repr__(self) -> str:
        return f"Probe(base_url={self.base_url!r})"

    def _new_client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers=self._headers,
            timeout=httpx.Timeout(min(self.timeout, 60.0), connect=10.0),
            follow_redirects=False,
            transport=self._transport,
        )

    def close(self) -> None:
        self._client.close()

    def scrub(self, text: str) -> str:
        return text.replace(self._api_key, "<redacted>") if self._api_key else text

    # ------------------------------------------------------------------ single requests
    def send(
        self,
        step: StepRecorder,
        operation_id: str,
        *,
        body: Any = None,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        content: bytes | None = None,
    ) -> Exchange:
        """One request; transport failures FAIL the step. The status is not judged here.

        `content` (with its Content-Type in `headers`) replaces the JSON `body`. Every non-GET request
        carries an `X-Idempotency-Key`, new per call unless `headers` sets one, as the SDKs send it."""
        operation = self.spec.operation(operation_id)
        path = operation.path.format(**(path_params or {}))
        sent = dict(headers or {})
        if operation.method != "GET":
            sent.setdefault(IDEMPOTENCY_HEADER, f"tinker-ext-contract-{uuid.uuid4()}")
        request = self._client.build_request(
            operation.method,
            path,
            json=body if content is None else None,
            content=content,
            params=dict(query) if query else None,
            headers=sent,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
        # Like the SDKs, retry once (same idempotency key) when a kept-alive connection turns out dead:
        # some servers drop it after answering a 500.
        for attempt in (1, 2):
            try:
                response = self._client.send(request)
                break
            except httpx.TimeoutException as exc:
                step.fail(
                    "transport",
                    f"{operation.method} {path}",
                    "",
                    "a response",
                    f"timeout ({type(exc).__name__})",
                )
            except httpx.HTTPError as exc:
                self._client.close()
                self._client = self._new_client()
                if attempt == 1 and isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
                    continue
                step.fail(
                    "transport",
                    f"{operation.method} {path}",
                    "",
                    "a response",
                    self.scrub(f"{type(exc).__name__}: {exc}"),
                )
        content_type = response.headers.get("content-type", "")
        parsed: Any = None
        if "json" in content_type or response.content[:1] in (b"{", b"["):
            try:
                parsed = response.json()
            except ValueError:
                parsed = None
        if step.http_status is None:  # the step's main request comes first
            step.http_status = response.status_code
        return Exchange(
            method=operation.method,
            path=path,
            status=response.status_code,
            headers=response.headers,
            content_type=content_type,
            body=parsed,
            text=self.scrub(response.text) if PROTOBUF not in content_type else "",
            content=response.content,
            sent=_sent_kind(sent) if content is not None else "",
        )

    def call(
        self,
        step: StepRecorder,
        operation_id: str,
        *,
        expect: Collection[int] = ANY_2XX,
        body: Any = None,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: bool = True,
        content: bytes | None = None,
    ) -> Exchange:
        """Send and judge: a missing route raises StepNotImplemented; an unexpected status or a body that
        violates the documented schema FAILs the step (the schema violations are recorded first). A status
        the SDKs accept but the spec does not document is a warning."""
        exchange = self.send(
            step,
            operation_id,
            body=body,
            path_params=path_params,
            query=query,
            headers=headers,
            content=content,
        )
        if exchange.status not in expect and _route_missing(exchange):
            raise StepNotImplemented(exchange.status, f"{exchange.where}: route not implemented")
        if not self.spec.documents_status(operation_id, exchange.status):
            step.add(
                "status:undocumented",
                exchange.where,
                "",
                "a status the spec documents for " + operation_id,
                str(exchange.status),
                Severity.WARNING if exchange.status in expect else Severity.ERROR,
            )
        schema = self.spec.response_schema(operation_id, exchange.status)
        if exchange.status in expect:
            if schema is not None and json_body and exchange.status != 204:
                if exchange.body is None and not (exchange.status >= 300 and not exchange.text):
                    step.fail(
                        "content-type", exchange.where, "", "a JSON body", short_repr(exchange.text[:80])
                    )
                if exchange.body is not None:
                    step.extend(self.spec.validate(exchange.body, schema, where=exchange.where))
            return exchange
        if schema is not None and exchange.body is not None:
            # The error body still has a documented shape; its violations help pinpoint the problem.
            step.extend(self.spec.validate(exchange.body, schema, where=exchange.where))
        step.fail(
            "status",
            exchange.where,
            "",
            "HTTP 2xx" if tuple(expect) == ANY_2XX else "HTTP " + " or ".join(str(c) for c in sorted(expect)),
            f"HTTP {exchange.status} ({_detail(exchange)})",
        )

    # ------------------------------------------------------------------ futures
    def submit(
        self,
        step: StepRecorder,
        operation_id: str,
        body: Any = None,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """POST a long operation; returns the future's request_id (the step FAILs without one)."""
        exchange = self.call(step, operation_id, body=body, content=content, headers=headers)
        return self.submit_from(step, exchange)

    def submit_from(self, step: StepRecorder, exchange: Exchange) -> str:
        """The request_id of an answered long operation (the step FAILs without one)."""
        request_id = exchange.body.get("request_id") if isinstance(exchange.body, Mapping) else None
        if not isinstance(request_id, str) or not request_id:
            step.fail(
                "future", exchange.where, "/request_id", "a request id (string)", short_repr(request_id)
            )
        return request_id

    def result(
        self,
        step: StepRecorder,
        request_id: str,
        result_schema: str,
        *,
        label: str,
        decoder: Callable[[bytes], Any] | None = None,
        protobuf_required: bool = False,
    ) -> Any:
        """Poll `retrieve_future` until the result, classifying each 200 body the way the SDK does.

        `decoder` (forward_backward and sample results) turns a protobuf body into the JSON shape; it is
        asked for with `Accept: application/x-protobuf` when `protobuf_required` (SDK >= 0.25, which then
        also polls with `allow_metadata_only` first, and raises on a JSON result). The result must
        validate against `result_schema`; a failed future FAILs the step."""
        deadline = time.monotonic() + self.timeout
        where = f"retrieve_future({label}) result"
        headers = {"Accept": PROTOBUF} if protobuf_required else None
        metadata_only = protobuf_required
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                step.fail(
                    "future:timeout", where, "", f"a result within {self.timeout:.0f} s", "still pending"
                )
            try:
                exchange = self.send(
                    step,
                    "retrieve_future",
                    body={"request_id": request_id, "allow_metadata_only": metadata_only},
                    headers=headers,
                    timeout=max(1.0, min(remaining, 60.0)),
                )
            except StepFailed:
                # A client-side read timeout while the server long-polls means "still pending".
                last = step.violations[-1]
                if last.rule == "transport" and "timeout" in last.got and time.monotonic() < deadline:
                    step.violations.pop()
                    continue
                raise
            if exchange.status == 408:
                continue
            if exchange.status != 200:
                if _route_missing(exchange):
                    raise StepNotImplemented(
                        exchange.status, f"{exchange.where}: retrieve_future not implemented"
                    )
                step.fail(
                    "future:failed",
                    exchange.where,
                    "",
                    f"HTTP 200 with the {label} result",
                    f"HTTP {exchange.status} ({_detail(exchange)})",
                )
            if PROTOBUF in exchange.content_type:
                return self._protobuf_result(step, exchange, result_schema, where, decoder, protobuf_required)
            body = exchange.body
            if not isinstance(body, Mapping):
                step.fail("future:body", where, "", "a JSON object", short_repr(exchange.text[:80]))
            if body.get("type") == "try_again":
                step.extend(
                    self.spec.validate_named(
                        body, "TryAgainResponse", where=f"retrieve_future({label}) try_again"
                    )
                )
                time.sleep(0.05)
                continue
            if body.get("status") == "complete_metadata":
                step.extend(
                    self.spec.validate_named(
                        body, "FutureMetadataOnlyResponse", where=f"retrieve_future({label}) metadata"
                    )
                )
                if not metadata_only:
                    step.warn(
                        "future:metadata",
                        where,
                        "/status",
                        "no metadata-only answer to allow_metadata_only=false",
                        "complete_metadata",
                    )
                metadata_only = False
                continue
            if "error" in body:
                step.extend(self.spec.validate_named(body, "RequestFailedResponse", where=where))
                step.fail(
                    "future:failed", where, "/error", f"the {label} result", short_repr(body.get("error"))
                )
            if protobuf_required and decoder is not None:
                step.add(
                    "future:protobuf",
                    where,
                    "",
                    f"an {PROTOBUF} result (SDK >= 0.25 raises on JSON ones)",
                    exchange.content_type or "no content type",
                )
            step.extend(self.spec.validate_named(body, result_schema, where=where))
            return body

    def _protobuf_result(
        self,
        step: StepRecorder,
        exchange: Exchange,
        result_schema: str,
        where: str,
        decoder: Callable[[bytes], Any] | None,
        protobuf_required: bool,
    ) -> Any:
        if decoder is None:
            step.fail("future:content-type", where, "", "a JSON result", exchange.content_type)
        if not protobuf_required:
            # tinker-ext and SDK 0.18-0.24 read it; SDK <= 0.17 and tinkex do not.
            step.warn(
                "future:content-type",
                where,
                "",
                "JSON for Accept: application/json (SDK <= 0.17 and tinkex read JSON only)",
                exchange.content_type,
            )
        try:
            body = decoder(exchange.content)
        except ValueError as exc:
            step.fail("future:protobuf-decode", where, "", f"a valid {result_schema} message", str(exc)[:160])
        step.extend(self.spec.validate_named(body, result_schema, where=where))
        return body
