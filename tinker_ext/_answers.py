"""Checking the server's answers: anything the SDK cannot use is an `APIResponseValidationError` with
the JSON pointer of the offending value and what was expected there, never a bare KeyError/TypeError,
and never a wrong value (a `request_id: null` must not become the string "None").

`parse_checked` runs a converter (a public type's `from_wire`) on a decoded body and maps every parse
failure; `check_answer_strings` applies the spec's string constraints (non-empty ids) to an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from tinker_ext._exceptions import APIResponseValidationError, InvalidInputError
from tinker_ext._spec_strings import check_body_strings
from tinker_ext.types._wire import ResponseFormatError

__all__ = ["check_answer_strings", "invalid_answer", "parse_checked"]

T = TypeVar("T")


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def invalid_answer(
    what: str,
    pointer: str | None,
    expected: str | None,
    body: Any,
    response: httpx.Response | None = None,
    detail: str | None = None,
) -> APIResponseValidationError:
    where = f" at {pointer or '/'}" if pointer is not None else ""
    wanted = f": expected {expected}" if expected else ""
    extra = f" ({detail})" if detail else ""
    return APIResponseValidationError(
        message=f"Unusable answer ({what}){where}{wanted}{extra}",
        response=response,
        body=body,
        pointer=pointer,
        expected=expected,
    )


def check_answer_strings(model: str, data: Any, response: httpx.Response | None = None) -> None:
    """The spec's string constraints (`minLength`, `maxLength`, `pattern`) on the top-level fields of an
    answer of schema `model` (e.g. a non-empty session id); the public types check types, not lengths."""
    if not isinstance(data, Mapping):
        return
    try:
        check_body_strings(model, data)
    except InvalidInputError as exc:
        field = str(exc).split(" ", 1)[0].partition(".")[2]
        expected = str(exc).split(" must ", 1)[-1].rsplit(", got", 1)[0]
        raise invalid_answer(model, f"/{field}", expected, data, response) from None


def _pointer_of(exc: BaseException) -> tuple[str | None, str | None]:
    if isinstance(exc, ResponseFormatError):
        return exc.pointer, exc.expected
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        return f"/{exc.args[0]}", "a required key"
    return None, None


def parse_checked(
    what: str, convert: Callable[[Any], T], data: Any, response: httpx.Response | None = None
) -> T:
    """`convert(data)`, with every parse failure turned into APIResponseValidationError."""
    try:
        return convert(data)
    except APIResponseValidationError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        pointer, expected = _pointer_of(exc)
        raise invalid_answer(
            what, pointer, expected, data, response, f"{type(exc).__name__}: {exc}"
        ) from None
