"""What one API operation is, for the generated endpoint table (generated/tinker_ext_raw/endpoints.py).

`codegen/endpoints_gen.py` writes one constant per operation of openapi.yaml: an `Endpoint` (the 2xx answer
is the result) or a `FutureEndpoint` (the answer is an `UntypedAPIFuture`; `result_type` is what the
future completes with). Both are generic in the request and answer/result types, so mypy sees a request of
the wrong type, a renamed or removed operation, and what a call returns. `_wire.http.HttpClient.call` sends them.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Endpoint", "FutureEndpoint", "NoBody", "Operation"]

RequestT = TypeVar("RequestT")
ResponseT = TypeVar("ResponseT")


class NoBody:
    """The request type of an operation without a request body (pass None)."""


@attrs.frozen
class Operation:
    """Method, path and flags of one operation (kept by the spec as operation extensions)."""

    operation_id: str
    method: str  # upper case
    path: str  # a template: "/api/v1/training_runs/{training_run_id}"
    path_params: tuple[str, ...] = ()
    query_params: tuple[str, ...] = ()
    # Spec defaults of query parameters (sent unless the call gives the parameter).
    query_defaults: tuple[tuple[str, Any], ...] = ()
    # What a body may be sent as: "application/json" and/or "application/x-protobuf".
    content_types: tuple[str, ...] = ()
    # The tinker_public messages of a protobuf body or answer (x-protobuf-message).
    protobuf_messages: tuple[str, ...] = ()
    read_only: bool = False  # x-tinker-ext-read-only: a POST that changes nothing on the server
    idempotent: bool = False  # GET/PUT/DELETE, read-only POSTs, x-tinker-ext-idempotent

    def url(self, path_params: tuple[str, ...]) -> str:
        """The path with its parameters filled in (each one path segment, percent-encoded)."""
        if len(path_params) != len(self.path_params):
            raise TypeError(
                f"{self.operation_id} takes {len(self.path_params)} path parameter(s) "
                f"{self.path_params}, got {len(path_params)}"
            )
        path = self.path
        for name, value in zip(self.path_params, path_params, strict=True):
            path = path.replace("{" + name + "}", _segment(value))
        return path


def _segment(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


@attrs.frozen
class Endpoint(Operation, Generic[RequestT, ResponseT]):
    """An operation answered at once: the 2xx JSON answer parses into `response_type`
    (None: the caller reads the answer itself, e.g. a binary download or the future poll)."""

    request_type: type[RequestT] | None = None
    response_type: type[ResponseT] | None = None


@attrs.frozen
class FutureEndpoint(Operation, Generic[RequestT, ResponseT]):
    """A long-running operation: the answer is an `UntypedAPIFuture` and the completed result is a
    `response_type` (retrieved with retrieve_future)."""

    request_type: type[RequestT] | None = None
    response_type: type[ResponseT] | None = None
