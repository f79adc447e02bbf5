"""The exception tree of tinker-ext.

Names and hierarchy follow the official SDK so that `except tinker.RateLimitError` keeps working:

    TinkerError
    ├── InvalidInputError (also ValueError)      bad input, raised before anything is sent
    ├── APIError
    │   ├── APIConnectionError
    │   │   └── APITimeoutError
    │   ├── APIResponseValidationError           the server answered with a body the spec does not allow
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
    "NotFoundError",
    "PermissionDeniedError",
    "PromiseExpiredError",
    "RateLimitError",
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
    """Constructors follow tinker 0.38's signatures. Instances pickle (multiprocessing, Ray) without the
    request's headers: `request` comes back as method + URL only, `response` as status + body."""

    message: str
    request: httpx.Request | None
    body: object | None

    def __init__(self, message: str, request: httpx.Request | None = None, *, body: object | None = None):
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("request", "response")}
        request = self.__dict__.get("request")
        response = self.__dict__.get("response")
        return (
            _rebuild_error,
            (
                type(self),
                self.args,
                state,
                None if request is None else (request.method, str(request.url)),
                None if response is None else (response.status_code, response.content),
            ),
        )


def _rebuild_error(
    cls: type[APIError],
    args: tuple[Any, ...],
    state: dict[str, Any],
    request: tuple[str, str] | None,
    response: tuple[int, bytes] | None,
) -> APIError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    rebuilt_request = None if request is None else httpx.Request(request[0], request[1])
    error.request = rebuilt_request
    if response is not None:
        error.__dict__["response"] = httpx.Response(
            response[0], content=response[1], request=rebuilt_request or httpx.Request("GET", "/")
        )
    return error


class APIConnectionError(APIError):
    def __init__(self, request: httpx.Request | None = None, message: str = "Connection error."):
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request | None = None, message: str = "Request timed out."):
        super().__init__(request, message)


class APIResponseValidationError(APIError):
    """The server answered with a body we cannot use."""

    def __init__(self, response: httpx.Response, body: object | None = None, message: str | None = None):
        super().__init__(
            message or "Data returned by API invalid for expected schema.", response.request, body=body
        )
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with an HTTP status >= 400."""

    def __init__(self, message: str, response: httpx.Response, body: object | None = None):
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class BillingError(APIStatusError):
    status_code = 402


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


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
    # tinker 0.38's member names (aliases of the same members)
    Unknown = "unknown"
    Server = "server"
    User = "user"

    @classmethod
    def parse(cls, value: Any) -> RequestErrorCategory:
        try:
            return cls(str(value).lower())
        except ValueError:
            return cls.UNKNOWN


class RequestFailedError(TinkerError):
    """A submitted request finished with a failure reported by the server."""

    def __init__(self, message: str, request_id: str, category: RequestErrorCategory):
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.category = category

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.request_id, self.category))


class FutureTimeoutError(TinkerError, TimeoutError):
    """The deadline given to `APIFuture.result(timeout=...)` passed before the result arrived."""
