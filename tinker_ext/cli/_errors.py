"""Exceptions -> one-line messages for `Error: ...` on stderr (the API key is scrubbed from every one)."""

from __future__ import annotations

from typing import Any

from .._exceptions import (
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

__all__ = ["error_message"]

_MAX_DETAIL = 300

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
    line = " ".join(text.split())
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def error_message(exc: BaseException, *, base_url: str | None = None, secret: str | None = None) -> str:
    """A single line describing `exc` for a CLI user; `secret` (the API key) never appears in it."""
    if isinstance(exc, APIStatusError):
        summary = next((text for cls, text in _STATUS_MESSAGES if isinstance(exc, cls)), "Request failed")
        detail = _detail(exc.body)
        message = f"{summary} (HTTP {exc.status_code})" + (f": {detail}" if detail else "")
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
