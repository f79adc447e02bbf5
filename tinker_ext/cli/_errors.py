"""Exceptions -> one-line messages for `Error: ...` on stderr (the API key is scrubbed from every one)."""

from __future__ import annotations

from typing import Any

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BillingError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    TinkerError,
    UnprocessableEntityError,
)

__all__ = ["error_message", "missing_route"]

# The server's own explanation is cut at this length (a body can be a whole HTML page); our own text,
# with its hints, never is.
_MAX_DETAIL = 300
# FastAPI's (and Starlette's) body for a path no route matches; a route that exists and does not find
# a resource answers its own detail ("Checkpoint not found", ...).
_NO_ROUTE_DETAIL = "Not Found"

# Checked in order: subclasses before their bases.
_STATUS_MESSAGES: list[tuple[type[APIStatusError], str]] = [
    (NotFoundError, "Resource not found"),
    (AuthenticationError, "Authentication failed: check the API key (--api-key or TINKER_API_KEY)"),
    (BillingError, "Billing issue: the account cannot be charged"),
    (PermissionDeniedError, "Permission denied"),
    (BadRequestError, "Invalid request"),
    (UnprocessableEntityError, "Invalid data provided"),
    (ConflictError, "Conflict with the current state of the resource"),
    (RateLimitError, "Rate limit exceeded; try again later"),
    (InternalServerError, "The Tinker API encountered an internal error"),
]


def _detail(body: Any) -> str | None:
    """The server's own explanation, if the body carries a short one."""
    if isinstance(body, dict):
        for key in ("detail", "error", "message"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if value:
                return str(value)
        return None
    if isinstance(body, str) and body.strip():
        return body.strip()
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str) -> str:
    line = _one_line(text)
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def missing_route(exc: BaseException) -> str | None:
    """`METHOD /path` when `exc` is a 404 for a route the server does not implement, else None."""
    if not isinstance(exc, NotFoundError) or _detail(exc.body) != _NO_ROUTE_DETAIL:
        return None
    request = exc.request
    return f"{request.method} {request.url.path}" if request is not None else "this endpoint"


def _status_message(exc: APIStatusError, base_url: str | None) -> str:
    route = missing_route(exc)
    if route is not None:
        return (
            f"The server at {base_url or 'the configured URL'} does not implement {route} "
            f"(HTTP 404: no such route); this command needs a server that has it, such as the hosted service"
        )
    summary = next((text for cls, text in _STATUS_MESSAGES if isinstance(exc, cls)), "Request failed")
    detail = _detail(exc.body)
    return f"{summary} (HTTP {exc.status_code})" + (f": {_cut(detail)}" if detail else "")


def error_message(exc: BaseException, *, base_url: str | None = None, secret: str | None = None) -> str:
    """A single line describing `exc` for a CLI user; `secret` (the API key) never appears in it."""
    if isinstance(exc, APIStatusError):
        message = _status_message(exc, base_url)
    elif isinstance(exc, APITimeoutError):
        message = f"The request to {base_url or 'the Tinker API'} timed out"
    elif isinstance(exc, APIConnectionError):
        message = f"Could not connect to {base_url or 'the Tinker API'}: {exc}"
    elif isinstance(exc, RequestFailedError):
        message = f"The request failed ({exc.category.value} error): {exc.message}"
    elif isinstance(exc, TinkerError):
        message = str(exc)
    else:
        message = f"unexpected {type(exc).__name__}: {exc}"
    if secret:
        message = message.replace(secret, "<redacted>")
    return _one_line(message)
