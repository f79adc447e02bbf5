"""Field kinds of JSON scalars: strings, numbers, booleans, bytes (base64), datetimes, enums, constants."""

from __future__ import annotations

import base64
import datetime as _dt
from typing import Any

from tinker_ext._types._kind import Bad, Kind

__all__ = ["Any_", "Bool", "Bytes", "Const", "DateTime", "Enum", "Int", "Num", "Number", "Str"]


class Any_(Kind):
    __slots__ = ()
    label = "any JSON value"

    def check(self, value: Any) -> Any:
        return value


class Str(Kind):
    __slots__ = ()
    plain = True
    label = "a string"

    def check(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise Bad(self.label, value)
        return value


class Int(Kind):
    __slots__ = ()
    plain = True
    label = "an int"

    def check(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise Bad(self.label, value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise Bad(self.label, value)


class Num(Kind):
    __slots__ = ()
    plain = True
    label = "a number"
    floats = True

    def json_value(self, value: Any) -> Any:
        return float(value) if type(value) is int else value

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Bad(self.label, value)
        return float(value)


class Number(Kind):
    """A number kept as given (int or float): the dataclass types of 0.38 do no conversion."""

    __slots__ = ()
    plain = True
    label = "a number"

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Bad(self.label, value)
        return value


class Bool(Kind):
    __slots__ = ()
    plain = True
    label = "a boolean"

    def check(self, value: Any) -> Any:
        if not isinstance(value, bool):
            raise Bad(self.label, value)
        return value


class Bytes(Kind):
    """`format: byte`: base64 text on the wire, bytes in Python."""

    __slots__ = ()
    label = "base64 text"

    def check(self, value: Any) -> Any:
        if isinstance(value, bytes):
            return value
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        if isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                raise Bad(self.label, value) from None
        raise Bad(self.label, value)


class DateTime(Kind):
    """ISO 8601 text (a trailing `Z` allowed) or Unix seconds, as pydantic accepts them."""

    __slots__ = ()
    label = "an ISO 8601 datetime"

    def check(self, value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return _dt.datetime.fromisoformat(value)
            except ValueError:
                raise Bad(self.label, value) from None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _dt.datetime.fromtimestamp(value, tz=_dt.UTC)
        raise Bad(self.label, value)


class Enum(Kind):
    """A closed set of strings or ints (the spec's `enum`): a value added to the spec is accepted once
    regenerated. A bool is not an int member (True == 1 in Python, not in JSON)."""

    __slots__ = ("values",)
    plain = True

    def __init__(self, *values: str | int) -> None:
        self.values = frozenset(values)

    @property
    def label(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(sorted(str(v) for v in self.values))

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) or value not in self.values:
            raise Bad(self.label, value)
        return value


class Const(Kind):
    """A discriminator (`const` / a one-value enum)."""

    __slots__ = ("value",)
    plain = True

    def __init__(self, value: str | int) -> None:
        self.value = value

    @property
    def label(self) -> str:  # type: ignore[override]
        return repr(self.value)

    def check(self, value: Any) -> Any:
        if value != self.value or isinstance(value, bool):  # True == 1, not in JSON
            raise Bad(self.label, value)
        return value
