"""The exception tree of tinker-ext.

Names and hierarchy follow the official SDK so that `except tinker.RateLimitError` keeps working:

    TinkerError
    ├── InvalidInputError (also ValueError)      bad input, raised before anything is sent
    ├── APIError
    │   ├── APIConnectionError
    │   │   └── APITimeoutError
    │   ├── APIResponseValidationError           the server answered with a body the SDK cannot use
    │   ├── LimitExceededError                   a response broke a size/time limit (see `Limits`)
    │   ├── RedirectError                        a redirect the SDK will not follow (e.g. to another origin)
    │   └── APIStatusError                       HTTP status >= 400, one subclass per status
    │       ├── BadRequestError (400) · AuthenticationError (401) · BillingError (402)
    │       ├── PermissionDeniedError (403) · NotFoundError (404) · ConflictError (409)
    │       ├── UnprocessableEntityError (422) · RateLimitError (429) · InternalServerError (>= 500)
    │       └── PromiseExpiredError (410 on retrieve_future: the server dropped the result)
    ├── RequestFailedError                       a future finished with {"error", "category"}
    └── FutureTimeoutError (also TimeoutError)   a future's user deadline passed

Messages never contain the API key: the HTTP layer builds them from status and body only.
"""

from __future__ import annotations

import enum
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "ConflictError",
    "FutureTimeoutError",
    "InternalServerError",
    "InvalidInputError",
    "LimitExceededError",
    "NotFoundError",
    "PermissionDeniedError",
    "PromiseExpiredError",
    "RateLimitError",
    "RedirectError",
    "RequestErrorCategory",
    "RequestFailedError",
    "TinkerError",
    "UnprocessableEntityError",
    "status_error_class",
]


class TinkerError(Exception):
    """Base class of every error tinker-ext raises on purpose."""


class InvalidInputError(TinkerError, ValueError):
    """The caller's input is invalid; raised before any request is sent."""


class APIError(TinkerError):
    message: str
    request: httpx.Request | None
    body: object | None

    def __init__(self, message: str, *, request: httpx.Request | None = None, body: object | None = None):
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None):
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None):
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """An answer the SDK cannot use. `pointer` is the JSON pointer (RFC 6901) of the offending value in
    the body ("" = the whole body) and `expected` says what was expected there, when known."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None = None,
        body: object | None = None,
        pointer: str | None = None,
        expected: str | None = None,
    ):
        super().__init__(message, request=response.request if response is not None else None, body=body)
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.pointer = pointer
        self.expected = expected

    def __reduce__(self) -> Any:  # picklable with its message (httpx responses are not)
        return (_rebuild_validation_error, (self.message, self.body, self.pointer, self.expected))


def _rebuild_validation_error(
    message: str, body: object, pointer: str | None, expected: str | None
) -> APIResponseValidationError:
    return APIResponseValidationError(message, body=body, pointer=pointer, expected=expected)


class LimitExceededError(APIError):
    """A response broke one of the client's limits (`limit` names it, e.g. "max_response_bytes").

    Not retried: the same server would break it again. The message says how to raise the limit.
    """

    def __init__(self, message: str, *, limit: str, request: httpx.Request | None = None):
        super().__init__(message, request=request)
        self.limit = limit

    def __reduce__(self) -> Any:
        return (_rebuild_limit_error, (self.message, self.limit))


def _rebuild_limit_error(message: str, limit: str) -> LimitExceededError:
    return LimitExceededError(message, limit=limit)


class RedirectError(APIError):
    """The server answered with a redirect the SDK does not follow: to another origin (credentials
    never leave the configured origin), a method-changing one, or too many hops. Not retried."""

    def __init__(self, message: str, *, target_origin: str | None, request: httpx.Request | None = None):
        super().__init__(message, request=request)
        self.target_origin = target_origin

    def __reduce__(self) -> Any:
        return (_rebuild_redirect_error, (self.message, self.target_origin))


def _rebuild_redirect_error(message: str, target_origin: str | None) -> RedirectError:
    return RedirectError(message, target_origin=target_origin)


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a response built without a request (e.g. unpickled)
        return None


class APIStatusError(APIError):
    """The server answered with an HTTP status >= 400."""

    def __init__(self, message: str, *, response: httpx.Response, body: object | None = None):
        super().__init__(message, request=_request_of(response), body=body)
        self.response = response
        self.status_code = response.status_code

    def __reduce__(self) -> Any:  # picklable (across processes) with status, message and body
        return (_rebuild_status_error, (type(self), self.message, self.status_code, self.body))


def _rebuild_status_error(
    cls: type[APIStatusError], message: str, status_code: int, body: object
) -> APIStatusError:
    return cls(message, response=httpx.Response(status_code), body=body)


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class BillingError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class PromiseExpiredError(APIStatusError):
    """HTTP 410 while polling a future: the promise expired or broke; the request must be resubmitted."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: BillingError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)


class RequestErrorCategory(enum.StrEnum):
    UNKNOWN = "unknown"
    SERVER = "server"
    USER = "user"

    @classmethod
    def parse(cls, value: Any) -> RequestErrorCategory:
        try:
            return cls(str(value).lower())
        except ValueError:
            return cls.UNKNOWN


class RequestFailedError(TinkerError):
    """A submitted request finished with a failure reported by the server."""

    def __init__(self, message: str, *, request_id: str, category: RequestErrorCategory):
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.category = category

    def __reduce__(self) -> Any:
        return (_rebuild_request_failed, (self.message, self.request_id, self.category))


def _rebuild_request_failed(
    message: str, request_id: str, category: RequestErrorCategory
) -> RequestFailedError:
    return RequestFailedError(message, request_id=request_id, category=category)


class FutureTimeoutError(TinkerError, TimeoutError):
    """The deadline given to `APIFuture.result(timeout=...)` passed before the result arrived."""
