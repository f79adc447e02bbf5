"""Checking the server's answers: anything the SDK cannot use is an `APIResponseValidationError` with
the JSON pointer of the offending value and what was expected there, never a bare KeyError/TypeError,
and never a wrong value (a `request_id: null` must not become the string "None").

`parse_checked` runs a converter on a decoded body and maps every parse failure; `check_fields` holds
the identifiers and shapes the clients rely on, checked before any generated model sees the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from tinker_ext._exceptions import APIResponseValidationError
from tinker_ext.types._wire import ResponseFormatError

__all__ = ["check_fields", "invalid_answer", "parse_checked"]

T = TypeVar("T")

_STR = "a non-empty string"
_OPT_INT = "an integer or null"
_OBJECT = "a JSON object"

# Fields a client reads from an answer (by generated model name) and what each must be.
_FIELDS: dict[str, dict[str, str]] = {
    "CreateSessionResponse": {"session_id": _STR},
    "CreateSamplingSessionResponse": {"sampling_session_id": _STR},
    "UntypedAPIFuture": {"request_id": _STR},
    "CreateModelResponse": {"model_id": _STR},
    "GetInfoResponse": {"model_id": _STR, "model_data": _OBJECT},
    "WeightsInfoResponse": {"base_model": _STR, "lora_rank": _OPT_INT},
    "GetSamplerResponse": {"base_model": _STR},
}


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


def _matches(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str) and bool(value)
    if expected == _OPT_INT:
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    return isinstance(value, Mapping)


def check_fields(model: str, data: Any, response: httpx.Response | None = None) -> Mapping[str, Any]:
    """`data` as a JSON object whose fields listed for `model` have the right type."""
    if not isinstance(data, Mapping):
        raise invalid_answer(model, "", _OBJECT, data, response, f"got {_type_name(data)}")
    for key, expected in _FIELDS.get(model, {}).items():
        if expected == _OPT_INT and key not in data:
            continue
        value = data.get(key)
        if not _matches(value, expected):
            got = "missing" if key not in data else f"got {_type_name(value)}"
            raise invalid_answer(model, f"/{key}", expected, data, response, got)
    return data


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
