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

from tinker_ext._core.exceptions import APIResponseValidationError
from tinker_ext._wire.spec_strings import string_rules
from tinker_ext.types._wire import ResponseFormatError

__all__ = ["check_answer_strings", "invalid_answer", "parse_checked"]

T = TypeVar("T")


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
    for rule in string_rules(model):
        value = data.get(rule.field)
        if not isinstance(value, str):
            continue  # absent or not a string: the type's own check (required, kind) decides
        if rule.min_length is not None and len(value) < rule.min_length:
            expected = f"a string of at least {rule.min_length} characters"
        elif rule.max_length is not None and len(value) > rule.max_length:
            expected = f"a string of at most {rule.max_length} characters"
        elif rule.pattern is not None and rule.pattern.search(value) is None:
            expected = f"a string matching {rule.source}"
        else:
            continue
        raise invalid_answer(model, f"/{rule.field}", expected, data, response, f"got {value[:60]!r}")


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
