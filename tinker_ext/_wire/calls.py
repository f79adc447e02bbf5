"""Requests built from the endpoint table and answers parsed into its types: the one path to the wire.

`request_for(endpoint, body, ...)` runs in the caller's thread, before anything is queued: the body (a
public request type) is dumped once (`to_json`), checked once (NaN/inf, what JSON cannot carry, the spec's
string constraints) and encoded once; the bytes travel with the request and are what `HttpClient.send`
sends on every attempt. `answer_of(endpoint, data)` parses a decoded answer once into the endpoint's public
type (`from_wire`); anything unusable (a missing or mistyped field, an empty id the spec says is
non-empty) is an `APIResponseValidationError` with the JSON pointer and what was expected there.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs
import httpx
import orjson

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.answers import check_answer_strings, parse_checked
from tinker_ext._wire.endpoint import Endpoint, FutureEndpoint, Operation
from tinker_ext._wire.http import ApiRequest, HttpClient, check_finite, decode_json
from tinker_ext._wire.spec_strings import check_body_strings
from tinker_ext._wire.validation import check_encodable

__all__ = [
    "Call",
    "answer_of",
    "encode_body",
    "perform",
    "request_for",
    "submit_request",
    "turn_request",
    "with_seq_id",
]

AnswerT = TypeVar("AnswerT")
RequestT = TypeVar("RequestT")

JSON = "application/json"


@attrs.frozen
class Call(Generic[AnswerT]):
    """A request ready to send and the type its answer parses into (None: read by the caller)."""

    request: ApiRequest
    answer_type: type[AnswerT] | None


def encode_body(body: Any) -> bytes:
    """A JSON-able body as bytes: NaN/inf and what JSON cannot carry refused (InvalidInputError)."""
    check_finite(body, "body")
    try:
        return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:
        check_encodable(body)  # names the offending field
        raise InvalidInputError("Request body cannot be encoded as JSON") from None


def _build(
    endpoint: Operation,
    body: Any,
    path: tuple[Any, ...],
    query: Mapping[str, Any] | None,
    options: Mapping[str, Any],
) -> ApiRequest:
    params = dict(endpoint.query_defaults)
    for name, value in (query or {}).items():
        if name not in endpoint.query_params:
            raise TypeError(f"{endpoint.operation_id} has no query parameter {name!r}")
        if isinstance(value, datetime.date):  # dates and date-times go as ISO 8601 / RFC 3339
            params[name] = value.isoformat()
        elif value is not None:
            params[name] = value
        else:
            params.pop(name, None)
    content: bytes | None = None
    if body is not None:
        # a public request type, or a body whose schema has none (its nulls are sent as given)
        wire = body.to_json() if hasattr(body, "to_json") else body
        content = encode_body(wire)  # first: NaN/inf and what JSON cannot carry, named by field
        if wire is not body:
            check_body_strings(type(body).__name__, wire)
    return ApiRequest(
        method=endpoint.method,
        path=endpoint.url(path),
        params=params or None,
        content=content,
        content_type=JSON,
        idempotent=endpoint.idempotent,
        operation=endpoint.operation_id,
        **options,
    )


def request_for(
    endpoint: Endpoint[RequestT, AnswerT],
    body: RequestT | None = None,
    *path: Any,
    query: Mapping[str, Any] | None = None,
    **options: Any,
) -> Call[AnswerT]:
    """An operation answered at once: its request (encoded now) and the type of its answer."""
    return Call(_build(endpoint, body, path, query, options), endpoint.response_type)


def submit_request(
    endpoint: FutureEndpoint[RequestT, Any],
    body: RequestT,
    *path: Any,
    query: Mapping[str, Any] | None = None,
    **options: Any,
) -> Call[Any]:
    """A long-running operation's submission (encoded now); its answer is an `UntypedAPIFuture`."""
    from tinker_ext_raw.public import UntypedAPIFuture

    return Call(_build(endpoint, body, path, query, options), UntypedAPIFuture)


def answer_of(
    answer_type: type[AnswerT] | None, data: Any, response: httpx.Response | None = None
) -> AnswerT:
    """`data` (a decoded JSON answer) parsed once into `answer_type`; unusable -> APIResponseValidationError."""
    if answer_type is None:
        return data  # type: ignore[no-any-return]  # the caller reads this answer itself
    convert = getattr(answer_type, "from_wire", None) or answer_type.from_json  # type: ignore[attr-defined]
    parsed: AnswerT = parse_checked(answer_type.__name__, convert, data, response)
    check_answer_strings(answer_type.__name__, data, response)
    return parsed


async def perform(http: HttpClient, call: Call[AnswerT]) -> AnswerT:
    """Send `call` (retries per the client's policy) and parse its answer once."""
    from tinker_ext_raw.public import EmptyResponse

    response = await http.send(call.request)
    if not response.content and call.answer_type is EmptyResponse:
        data: Any = {}  # a 204 (or an empty 200) where the spec's answer is an ignored empty object
    else:
        data = decode_json(response)
    return answer_of(call.answer_type, data, response)


def turn_request(
    endpoint: FutureEndpoint[RequestT, Any],
    body: RequestT,
    *,
    omit: tuple[str, ...] = (),
    **options: Any,
) -> ApiRequest:
    """A request that gets its `seq_id` in its turn (training calls). Dumped, checked and encoded now, in
    the caller's thread, without the seq_id; `with_seq_id` appends it to the bytes at the turn.
    `omit`: fields left out of the body (a value that is the server's default, which older servers do
    not know as a field)."""
    if getattr(body, "seq_id", None) is not None:
        raise ValueError(f"{endpoint.operation_id}: the seq_id is set in the request's turn")
    wire = body.to_json()  # type: ignore[attr-defined]  # every request type of the table has it
    for name in omit:
        wire.pop(name, None)
    content = encode_body(wire)  # first: NaN/inf and what JSON cannot carry, named by field
    check_body_strings(type(body).__name__, wire)
    if not content.endswith(b"}") or content == b"{}":
        raise AssertionError("a turn request body is a non-empty JSON object")
    return ApiRequest(
        method=endpoint.method,
        path=endpoint.path,
        content=content,
        content_type=JSON,
        idempotent=endpoint.idempotent,
        operation=endpoint.operation_id,
        **options,
    )


def with_seq_id(content: bytes | None, seq_id: int) -> bytes:
    """A JSON object's bytes with `"seq_id": seq_id` as its last key (no second encode of the body)."""
    if content is None or isinstance(seq_id, bool) or not isinstance(seq_id, int):
        raise TypeError("with_seq_id needs an encoded JSON object and an int")
    return b'%s,"seq_id":%d}' % (content[:-1], seq_id)
