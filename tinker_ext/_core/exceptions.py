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
    │       │   └── NameConflictError (409 on a name the client chose: not retried)
    │       ├── UnprocessableEntityError (422) · RateLimitError (429) · InternalServerError (>= 500)
    │       └── PromiseExpiredError (410 on retrieve_future: the server dropped the result)
    ├── RequestFailedError                       a future finished with {"error", "category"}
    ├── RecoveryFailedError                      a RecoveryPolicy could not bring a training run back
    └── FutureTimeoutError (also TimeoutError)   a future's user deadline passed

Messages never contain the API key: the HTTP layer builds them from status and body only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tinker_ext_raw.public import RequestErrorCategory

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
    "NameConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "PromiseExpiredError",
    "RateLimitError",
    "RecoveryFailedError",
    "RedirectError",
    "RequestFailedError",
    "ResponseFormatError",
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
    """An answer the SDK cannot use. `pointer` is the JSON pointer (RFC 6901) of the offending value in
    the body ("" = the whole body) and `expected` says what was expected there, when known. The
    positional parameters are 0.38's."""

    def __init__(
        self,
        response: httpx.Response | None = None,
        body: object | None = None,
        message: str | None = None,
        *,
        pointer: str | None = None,
        expected: str | None = None,
    ):
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            _request_of(response) if response is not None else None,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.pointer = pointer
        self.expected = expected

    def __reduce__(self) -> Any:  # picklable with its message (httpx responses are not)
        return (_rebuild_validation_error, (self.message, self.body, self.pointer, self.expected))


def _rebuild_validation_error(
    message: str, body: object, pointer: str | None, expected: str | None
) -> APIResponseValidationError:
    return APIResponseValidationError(message=message, body=body, pointer=pointer, expected=expected)


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

    def __init__(self, message: str, response: httpx.Response, body: object | None = None):
        super().__init__(message, _request_of(response), body=body)
        self.response = response
        self.status_code = response.status_code

    def __reduce__(self) -> Any:  # picklable (across processes) with status, message, body, method and URL
        request = self.request
        where = (request.method, str(request.url)) if request is not None else None
        return (_rebuild_status_error, (type(self), self.message, self.status_code, self.body, where))


def _rebuild_status_error(
    cls: type[APIStatusError],
    message: str,
    status_code: int,
    body: object,
    where: tuple[str, str] | None = None,
) -> APIStatusError:
    # The request is rebuilt from method and URL only: headers (the API key) never enter a pickle.
    request = httpx.Request(*where) if where is not None else None
    return cls(message, response=httpx.Response(status_code, request=request), body=body)


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


class NameConflictError(ConflictError):
    """HTTP 409 on a create/save with a name the client chose (e.g. a checkpoint name that exists).

    Permanent, so raised at once instead of retried; `name` is the name."""

    def __init__(
        self, message: str, response: httpx.Response, body: object | None = None, *, name: str = ""
    ) -> None:
        super().__init__(message, response, body)
        self.name = name

    def __reduce__(self) -> Any:
        _, args = super().__reduce__()
        return (_rebuild_name_conflict, (*args, self.name))


def _rebuild_name_conflict(
    cls: type[NameConflictError],
    message: str,
    status_code: int,
    body: object,
    where: tuple[str, str] | None,
    name: str,
) -> APIStatusError:
    error = _rebuild_status_error(cls, message, status_code, body, where)
    error.name = name  # type: ignore[attr-defined]
    return error


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


class RequestFailedError(TinkerError):
    """A submitted request finished with a failure reported by the server."""

    def __init__(self, message: str, request_id: str, category: RequestErrorCategory):
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.category = category

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.request_id, self.category))


class RecoveryFailedError(TinkerError):
    """A `RecoveryPolicy` gave up on a training run: the server did not come back within the policy's
    wait, the model could not be recreated, or the run cannot be rebuilt exactly (`reason` says which:
    "server_unavailable", "recreate_failed", "attempts_exhausted", "journal_incomplete"). The calls
    still waiting fail with it; `__cause__` is the last underlying error."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.reason))


class ServerDeviationError(TinkerError):
    """The server is known (measured by `tinker-ext contract`) to compute this call differently from the
    Tinker API, and there is no way to get the promised result from it: refused before anything is sent."""


class FutureTimeoutError(TinkerError, TimeoutError):
    """The deadline given to `APIFuture.result(timeout=...)` passed before the result arrived."""


class ResponseFormatError(TinkerError, ValueError):
    """A JSON body does not have the shape a type requires (missing required key, wrong type).

    The clients turn it into `APIResponseValidationError`. `pointer` is the JSON pointer of the value
    within the object being parsed, `expected` what it should have been (when known).
    """

    def __init__(self, message: str, *, pointer: str | None = None, expected: str | None = None) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.expected = expected
