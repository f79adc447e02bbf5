"""Shared JSON-wire helpers for the public types.

Serialisation rule (the official SDK dumps with `exclude_none=True`): a field whose value is `None`
is omitted; every other field, including non-None defaults and `type` discriminators, is sent.
Parsing rule (official responses are validated strictly but ignore extra keys): unknown keys are
ignored, a missing required key or a value of the wrong JSON type raises `ResponseFormatError`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import attrs

from .._exceptions import ResponseFormatError
from ._attrs_model import AttrsModelAPI, to_wire

__all__ = ["ResponseFormatError", "WireModel"]

_T = TypeVar("_T")


class _HasToJson(Protocol):
    def to_json(self) -> dict[str, Any]: ...


class WireModel(AttrsModelAPI):
    """Mixin: `to_json()` built from the attrs fields (None omitted, wire name = field name), and the
    pydantic model API (these types are pydantic models in 0.38).

    Fields whose metadata has `wire=False` are client-side only and never sent.
    """

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            if field.metadata.get("wire") is False:
                continue
            value = getattr(self, field.name)
            if value is None:
                continue
            body[field.name] = to_wire(value)
        return body


CLIENT_ONLY: dict[str, Any] = {"wire": False}


# ----- parsing helpers (used by the from_json classmethods) -----


def expect_mapping(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ResponseFormatError(
            f"{what}: expected a JSON object, got {type(data).__name__}", pointer="", expected="a JSON object"
        )
    return data


def _fail(what: str, key: str, expected: str, value: Any) -> ResponseFormatError:
    return ResponseFormatError(
        f"{what}.{key}: expected {expected}, got {type(value).__name__}",
        pointer="/" + key.replace("~", "~0").replace("/", "~1").replace(".", "/"),
        expected=expected,
    )


def req(data: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in data:
        raise ResponseFormatError(
            f"{what}: required key {key!r} is missing", pointer=f"/{key}", expected="a required key"
        )
    return data[key]


def req_str(data: Mapping[str, Any], key: str, what: str) -> str:
    value = req(data, key, what)
    if not isinstance(value, str):
        raise _fail(what, key, "a string", value)
    return value


def opt_str(data: Mapping[str, Any], key: str, what: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(what, key, "a string", value)
    return value


def _as_int(value: Any, what: str, key: str) -> int:
    if isinstance(value, bool):
        raise _fail(what, key, "an integer", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _fail(what, key, "an integer", value)


def req_int(data: Mapping[str, Any], key: str, what: str) -> int:
    return _as_int(req(data, key, what), what, key)


def opt_int(data: Mapping[str, Any], key: str, what: str, default: int | None = None) -> int | None:
    value = data.get(key)
    return default if value is None else _as_int(value, what, key)


def _as_float(value: Any, what: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(what, key, "a number", value)
    return float(value)


def req_float(data: Mapping[str, Any], key: str, what: str) -> float:
    return _as_float(req(data, key, what), what, key)


def req_bool(data: Mapping[str, Any], key: str, what: str) -> bool:
    value = req(data, key, what)
    if not isinstance(value, bool):
        raise _fail(what, key, "a boolean", value)
    return value


def opt_bool(data: Mapping[str, Any], key: str, what: str, default: bool | None = None) -> bool | None:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _fail(what, key, "a boolean", value)
    return value


def req_list(data: Mapping[str, Any], key: str, what: str) -> list[Any]:
    value = req(data, key, what)
    if not isinstance(value, list):
        raise _fail(what, key, "a list", value)
    return value


def req_items(data: Mapping[str, Any], key: str, what: str, parse: Callable[[Any], _T]) -> list[_T]:
    """`parse` applied to each item of the required list `key`; a failure's pointer gets the item's
    position prefixed (`/checkpoints/3/time`)."""
    items = req_list(data, key, what)
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse(item))
        except ResponseFormatError as exc:
            raise ResponseFormatError(
                f"{what}.{key}[{index}]: {exc}",
                pointer=f"/{key}/{index}{exc.pointer or ''}",
                expected=exc.expected,
            ) from None
    return parsed


def opt_list(data: Mapping[str, Any], key: str, what: str) -> list[Any] | None:
    value = data.get(key)
    if value is not None and not isinstance(value, list):
        raise _fail(what, key, "a list", value)
    return value


def req_dict(data: Mapping[str, Any], key: str, what: str) -> dict[str, Any]:
    value = req(data, key, what)
    if not isinstance(value, Mapping):
        raise _fail(what, key, "an object", value)
    return dict(value)


def opt_dict(data: Mapping[str, Any], key: str, what: str) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _fail(what, key, "an object", value)
    return dict(value)


def float_dict(value: Mapping[str, Any], what: str, key: str) -> dict[str, float]:
    return {str(k): _as_float(v, what, f"{key}.{k}") for k, v in value.items()}


def parse_datetime(value: Any, what: str, key: str) -> _dt.datetime:
    """ISO 8601 strings (a trailing `Z` allowed) or Unix seconds, as pydantic accepts them."""
    if isinstance(value, str):
        try:
            return _dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ResponseFormatError(f"{what}.{key}: not an ISO 8601 datetime: {value!r}") from exc
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _dt.datetime.fromtimestamp(value, tz=_dt.UTC)
    raise _fail(what, key, "a datetime string", value)


def req_datetime(data: Mapping[str, Any], key: str, what: str) -> _dt.datetime:
    return parse_datetime(req(data, key, what), what, key)


def opt_datetime(data: Mapping[str, Any], key: str, what: str) -> _dt.datetime | None:
    value = data.get(key)
    return None if value is None else parse_datetime(value, what, key)


def decode_base64(value: str | bytes, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ResponseFormatError(f"{what}: not valid base64") from exc
