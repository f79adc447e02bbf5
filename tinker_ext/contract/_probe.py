"""Plain-httpx requests checked against the spec, and the per-step recorder they report into.

Deliberately independent of the SDK's clients and HTTP layer: a bug there must not hide (or invent) a
server bug. Only the spec is shared.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
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

    @property
    def where(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


def _detail(exchange: Exchange) -> str:
    if isinstance(exchange.body, Mapping):
        for key in ("detail", "error", "message"):
            if key in exchange.body:
                return short_repr(exchange.body[key])
    return short_repr(exchange.text.strip()[:160]) if exchange.text.strip() else "empty body"


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
    ) -> Exchange:
        """One request; transport failures FAIL the step. The status is not judged here."""
        operation = self.spec.operation(operation_id)
        path = operation.path.format(**(path_params or {}))
        try:
            response = self._client.request(
                operation.method,
                path,
                json=body,
                params=dict(query) if query else None,
                headers=dict(headers) if headers else None,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            step.fail(
                "transport", f"{operation.method} {path}", "", "a response", f"timeout ({type(exc).__name__})"
            )
        except httpx.HTTPError as exc:
            # Some servers drop the keep-alive connection after a 500: later requests use a fresh one.
            self._client.close()
            self._client = self._new_client()
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
        step.http_status = response.status_code
        return Exchange(
            method=operation.method,
            path=path,
            status=response.status_code,
            headers=response.headers,
            content_type=content_type,
            body=parsed,
            text=self.scrub(response.text) if PROTOBUF not in content_type else "",
        )

    def call(
        self,
        step: StepRecorder,
        operation_id: str,
        *,
        expect: Collection[int] = (200,),
        body: Any = None,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: bool = True,
    ) -> Exchange:
        """Send and judge: a missing route raises StepNotImplemented; an unexpected status or a body that
        violates the documented schema FAILs the step (the schema violations are recorded first)."""
        exchange = self.send(
            step, operation_id, body=body, path_params=path_params, query=query, headers=headers
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
            )
        schema = self.spec.response_schema(operation_id, exchange.status)
        if exchange.status in expect:
            if schema is not None and json_body:
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
            "HTTP " + " or ".join(str(code) for code in sorted(expect)),
            f"HTTP {exchange.status} ({_detail(exchange)})",
        )

    # ------------------------------------------------------------------ futures
    def submit(self, step: StepRecorder, operation_id: str, body: Any) -> str:
        """POST a long operation; returns the future's request_id (the step FAILs without one)."""
        return self.submit_from(step, self.call(step, operation_id, body=body))

    def submit_from(self, step: StepRecorder, exchange: Exchange) -> str:
        """The request_id of an answered long operation (the step FAILs without one)."""
        request_id = exchange.body.get("request_id") if isinstance(exchange.body, Mapping) else None
        if not isinstance(request_id, str) or not request_id:
            step.fail(
                "future", exchange.where, "/request_id", "a request id (string)", short_repr(request_id)
            )
        return request_id

    def result(self, step: StepRecorder, request_id: str, result_schema: str, *, label: str) -> Any:
        """Poll `retrieve_future` until the result, classifying each 200 body the way the SDK does.
        The result must validate against `result_schema`; a failed future FAILs the step."""
        deadline = time.monotonic() + self.timeout
        where = f"retrieve_future({label}) result"
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
                    body={"request_id": request_id, "allow_metadata_only": False},
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
                step.fail(
                    "future:content-type", where, "", "JSON (Accept: application/json)", exchange.content_type
                )
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
                step.warn(
                    "future:metadata",
                    where,
                    "/status",
                    "no metadata-only answer to allow_metadata_only=false",
                    "complete_metadata",
                )
                continue
            if "error" in body:
                step.extend(self.spec.validate_named(body, "RequestFailedResponse", where=where))
                step.fail(
                    "future:failed", where, "/error", f"the {label} result", short_repr(body.get("error"))
                )
            step.extend(self.spec.validate_named(body, result_schema, where=where))
            return body
