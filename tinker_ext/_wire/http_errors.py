"""HTTP failures as the typed exceptions of `_core.exceptions`, with no secret left in them.

A server that echoes the API key, or a weights access token sent in a header, must not make an error keep
it: messages, bodies and the request copies attached to errors are scrubbed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    NameConflictError,
    status_error_class,
)
from tinker_ext._wire.credentials import REDACTED, ApiKey
from tinker_ext._wire.origin import API_KEY_HEADER

__all__ = [
    "SECRET_HEADERS",
    "WEIGHTS_ACCESS_TOKEN_HEADER",
    "name_conflict",
    "sanitised_request",
    "scrub_secret_headers",
    "status_error",
    "wrap_transport_error",
]

WEIGHTS_ACCESS_TOKEN_HEADER = "X-Tinker-Weights-Access-Token"
SECRET_HEADERS = frozenset(h.lower() for h in (API_KEY_HEADER, WEIGHTS_ACCESS_TOKEN_HEADER))


def sanitised_request(request: httpx.Request) -> httpx.Request:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in SECRET_HEADERS}
    return httpx.Request(request.method, request.url, headers=headers)


def _body_for_message(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content) if response.content else None
    except orjson.JSONDecodeError:
        return response.text[:2000]


def status_error(response: httpx.Response, api_key: ApiKey | None = None) -> APIStatusError:
    """The typed exception for an HTTP error response: `Error code: {status} - {body}`.

    A server that echoes the key back must not make us keep it: the body and the response's content
    attached to the error are scrubbed too."""
    body = _body_for_message(response)
    if api_key is not None and api_key.scrub(response.text) != response.text:
        body = _scrub_value(body, api_key)
        response = httpx.Response(
            response.status_code,
            headers=[(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-length"],
            content=api_key.scrub(response.text).encode(),
            request=response.request,
        )
    message = f"Error code: {response.status_code} - {body if body is not None else ''}".rstrip(" -")
    if api_key is not None:
        message = api_key.scrub(message)
    return status_error_class(response.status_code)(message, response=response, body=body)


def name_conflict(error: APIStatusError, name: str, retried: bool) -> NameConflictError:
    message = f"The name {name!r} is already taken (HTTP 409, not retried): {error.message}"
    if retried:  # the servers ignore idempotency keys: an earlier attempt may have been applied
        message += "; an earlier attempt of this call may have saved it (a retried request)"
    return NameConflictError(message, response=error.response, body=error.body, name=name)


def _scrub_value(value: Any, api_key: ApiKey) -> Any:
    if isinstance(value, str):
        return api_key.scrub(value)
    if isinstance(value, dict):
        return {api_key.scrub(str(k)): _scrub_value(v, api_key) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v, api_key) for v in value]
    return value


def scrub_secret_headers(error: Exception, headers: Mapping[str, str]) -> Exception:
    """Remove secret header values (e.g. a weights access token) of a request's `headers` from an error's
    message."""
    secrets = [v for k, v in headers.items() if k.lower() in SECRET_HEADERS and v]
    message = str(error)
    if not secrets or not any(s in message for s in secrets):
        return error
    for secret in secrets:
        message = message.replace(secret, REDACTED)
    error.args = (message,)
    if isinstance(error, APIError):
        error.message = message
    return error


def wrap_transport_error(exc: httpx.RequestError, api_key: ApiKey) -> APIConnectionError:
    request: httpx.Request | None
    try:
        request = sanitised_request(exc.request)
    except RuntimeError:  # .request is unset on some errors
        request = None
    detail = api_key.scrub(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request, f"Request timed out ({detail})")
    return APIConnectionError(request, f"Connection error ({detail})")
