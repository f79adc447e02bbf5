"""Exceptions as tinker 0.38 has them: constructor signatures, `status_code` on the class, member names of
RequestErrorCategory, and a pickle round trip (multiprocessing, Ray) that never carries the API key."""

from __future__ import annotations

import pickle

import httpx
import pytest

import tinker_ext as tinker

KEY = "tml-secret-key-4242"


def _request() -> httpx.Request:
    return httpx.Request("POST", "http://t/api/v1/forward_backward", headers={"X-API-Key": KEY})


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (tinker.BadRequestError, 400),
        (tinker.AuthenticationError, 401),
        (tinker.BillingError, 402),
        (tinker.PermissionDeniedError, 403),
        (tinker.NotFoundError, 404),
        (tinker.ConflictError, 409),
        (tinker.UnprocessableEntityError, 422),
        (tinker.RateLimitError, 429),
    ],
)
def test_status_errors_pickle_without_the_key(cls: type[tinker.APIStatusError], status: int) -> None:
    assert cls.status_code == status
    response = httpx.Response(status, request=_request(), content=b'{"detail":"no"}')
    error = cls("refused", response, {"detail": "no"})  # 0.38's positional form
    data = pickle.dumps(error)
    assert KEY.encode() not in data
    back = pickle.loads(data)
    assert type(back) is cls and str(back) == "refused" and back.message == "refused"
    assert (back.status_code, back.body, back.response.status_code) == (status, {"detail": "no"}, status)
    assert back.request is not None and str(back.request.url) == "http://t/api/v1/forward_backward"
    assert "x-api-key" not in back.request.headers


def test_connection_errors_and_request_failures_round_trip() -> None:
    timeout = pickle.loads(pickle.dumps(tinker.APITimeoutError(_request())))
    assert isinstance(timeout, tinker.APIConnectionError) and timeout.message == "Request timed out."
    conn = tinker.APIConnectionError(_request(), "Connection error (refused)")
    assert pickle.loads(pickle.dumps(conn)).message == "Connection error (refused)"
    failed = tinker.RequestFailedError("bad input", "req-1", tinker.RequestErrorCategory.User)
    back = pickle.loads(pickle.dumps(failed))
    assert (str(back), back.request_id, back.category) == ("bad input", "req-1", "user")


def test_request_error_category_has_the_0_38_member_names() -> None:
    category = tinker.RequestErrorCategory
    assert category.User is category.USER and category.Server is category.SERVER
    assert category.Unknown is category.UNKNOWN and category.parse("USER") is category.User


def test_response_validation_error_takes_the_response_first() -> None:
    response = httpx.Response(200, request=_request())
    error = tinker.APIResponseValidationError(response, {"x": 1})
    assert error.status_code == 200 and error.body == {"x": 1} and "invalid" in error.message
    assert KEY.encode() not in pickle.dumps(error)
