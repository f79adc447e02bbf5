"""Field kinds of the generated public types: how one field is checked on the way in and dumped on the way out.

The generator (codegen/types_gen.py) describes every field of every public type with these kinds, taken from
the field's schema in openapi.yaml; the base classes (`_base.py`) run them. One checker serves both the
constructor (user input: `InvalidInputError`) and `from_wire` (server answers: `ResponseFormatError` with the
JSON pointer of the bad value), so a value is checked exactly once.
"""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any

from tinker_ext._exceptions import ResponseFormatError

__all__ = [
    "Any_",
    "Bool",
    "Bytes",
    "Const",
    "DateTime",
    "Dict",
    "Enum",
    "Field",
    "Int",
    "Kind",
    "List",
    "Nullable",
    "Num",
    "Number",
    "Ref",
    "Str",
    "Tagged",
    "Union",
    "dump_value",
    "parsed",
]

MISSING: Any = object()


class Bad(Exception):
    """A value does not fit its kind; `pointer` is relative to the value being checked."""

    def __init__(self, expected: str, got: Any, pointer: str = "") -> None:
        super().__init__(expected)
        self.expected = expected
        self.got = got
        self.pointer = pointer

    def within(self, key: str | int) -> Bad:
        step = str(key).replace("~", "~0").replace("/", "~1")
        return Bad(self.expected, self.got, f"/{step}{self.pointer}")

    def as_response_error(self, what: str) -> ResponseFormatError:
        got = "null" if self.got is None else type(self.got).__name__
        if isinstance(self.got, str):  # e.g. an unknown tag: say which
            got += f" {self.got[:60]!r}"
        return ResponseFormatError(
            f"{what}{self.pointer or '/'}: expected {self.expected}, got {got}",
            pointer=self.pointer,
            expected=self.expected,
        )


class Kind:
    """The checker of one JSON schema: `check` returns the Python value (copied where mutable)."""

    __slots__ = ()
    label = "a value"

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    # JSON mode of a model's dump: only a `float` field changes anything (pydantic writes 1 as 1.0)
    floats = False
    # values are plain JSON already (str/int/float/bool/None, lists and dicts of them): dumped without a walk
    plain = False

    def json_value(self, value: Any) -> Any:
        return value

    def __repr__(self) -> str:
        return f"<{self.label}>"


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


class Nullable(Kind):
    __slots__ = ("inner",)

    def __init__(self, inner: Kind) -> None:
        self.inner = inner

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.inner.label} or null"

    def check(self, value: Any) -> Any:
        return None if value is None else self.inner.check(value)

    @property
    def floats(self) -> bool:  # type: ignore[override]
        return self.inner.floats

    @property
    def plain(self) -> bool:  # type: ignore[override]
        return self.inner.plain

    def json_value(self, value: Any) -> Any:
        return None if value is None else self.inner.json_value(value)


class List(Kind):
    """A JSON array: always a new list (a caller's list is copied, as the official types do)."""

    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        self.item = item

    label = "a list"

    @property
    def floats(self) -> bool:  # type: ignore[override]
        return self.item.floats

    @property
    def plain(self) -> bool:  # type: ignore[override]
        return self.item.plain

    def json_value(self, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [self.item.json_value(v) for v in value]

    def check(self, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise Bad(self.label, value)
        check = self.item.check
        out = []
        for index, item in enumerate(value):
            try:
                out.append(check(item))
            except Bad as exc:
                raise exc.within(index) from None
        return out


class Dict(Kind):
    """A JSON object with values of one kind: always a new dict."""

    __slots__ = ("value",)

    def __init__(self, value: Kind) -> None:
        self.value = value

    label = "an object"

    @property
    def floats(self) -> bool:  # type: ignore[override]
        return self.value.floats

    @property
    def plain(self) -> bool:  # type: ignore[override]
        return self.value.plain

    def json_value(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: self.value.json_value(v) for k, v in value.items()}

    def check(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise Bad(self.label, value)
        check = self.value.check
        out = {}
        for key, item in value.items():
            try:
                out[str(key)] = check(item)
            except Bad as exc:
                raise exc.within(str(key)) from None
        return out


class Ref(Kind):
    """Another public type: an instance is kept, a JSON object is parsed with the type's `from_wire`."""

    __slots__ = ("_cls", "_target")

    def __init__(self, target: Callable[[], type[Any]]) -> None:
        self._target = target  # a lambda: the class may be defined later in its module
        self._cls: type[Any] | None = None

    @property
    def cls(self) -> type[Any]:
        if self._cls is None:
            self._cls = self._target()
        return self._cls

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"a {self.cls.__name__} object"

    def check(self, value: Any) -> Any:
        cls = self.cls
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise Bad(self.label, value)
        parse = getattr(cls, "_from_checked", None) or cls.from_json  # generated, or hand-written
        try:
            return parse(value)
        except ResponseFormatError as exc:
            bad = getattr(exc, "bad", None)  # the bad value itself (its type named in the message)
            if isinstance(bad, Bad):
                raise bad from None
            raise Bad(exc.expected or self.label, value, exc.pointer or "") from None


class Union(Kind):
    """`oneOf` / `anyOf`: the first alternative that accepts the value."""

    __slots__ = ("alternatives",)

    def __init__(self, *alternatives: Kind) -> None:
        self.alternatives = alternatives

    @property
    def label(self) -> str:  # type: ignore[override]
        return " or ".join(alt.label for alt in self.alternatives)

    @property
    def floats(self) -> bool:  # type: ignore[override]
        return any(alt.floats for alt in self.alternatives)

    @property
    def plain(self) -> bool:  # type: ignore[override]
        return all(alt.plain for alt in self.alternatives)

    def json_value(self, value: Any) -> Any:
        # as pydantic: an int stays an int when an int alternative takes it (smart union)
        if isinstance(value, int) and any(isinstance(alt, Int) for alt in self.alternatives):
            return value
        for alt in self.alternatives:
            if alt.floats:
                return alt.json_value(value)
        return value

    def check(self, value: Any) -> Any:
        deepest: Bad | None = None
        for alternative in self.alternatives:
            try:
                return alternative.check(value)
            except Bad as exc:
                if exc.pointer and (deepest is None or len(exc.pointer) > len(deepest.pointer)):
                    deepest = exc
        if deepest is not None:  # an object of the right type with a bad field inside: say where
            raise deepest
        raise Bad(self.label, value)


class Tagged(Kind):
    """A `oneOf` with a discriminator over public types: the tag picks the alternative (as pydantic's
    discriminated unions). An instance of an alternative is kept; an unknown tag is an error naming the
    known ones; an object without the tag is tried against each alternative in turn (their tag has a
    default, so the lenient reading of the plain union is kept)."""

    __slots__ = ("_classes", "cases", "prop")

    def __init__(self, prop: str, cases: Mapping[str, Kind]) -> None:
        self.prop = prop
        self.cases = dict(cases)
        self._classes: tuple[type[Any], ...] | None = None  # resolved on first use (Ref targets are lazy)

    @property
    def label(self) -> str:  # type: ignore[override]
        return " or ".join(alt.label for alt in self.cases.values())

    def check(self, value: Any) -> Any:
        classes = self._classes
        if classes is None:
            classes = self._classes = tuple(k.cls for k in self.cases.values() if isinstance(k, Ref))
        if isinstance(value, classes):  # an instance (request building): kept, no dispatch
            return value
        if not isinstance(value, Mapping):
            raise Bad(self.label, value)
        if self.prop not in value:
            return Union(*self.cases.values()).check(value)
        tag = value[self.prop]
        kind = self.cases.get(tag) if isinstance(tag, str) else None
        if kind is None:
            known = ", ".join(repr(t) for t in self.cases)
            raise Bad(f"one of {known}", tag, f"/{self.prop}")
        return kind.check(value)


def parsed(kind: Kind, value: Any) -> Callable[[], Any]:
    """The default factory of a field whose spec default is a JSON object or list: parsed by the field's
    kind for every new instance (e.g. `owner` defaults to `OwnSearchOwner()`)."""
    return lambda: kind.check(value)


class Field:
    """One field of a public type: its name, kind, default, and whether it goes on the wire."""

    __slots__ = ("default", "description", "factory", "kind", "name", "required", "wire")

    def __init__(
        self,
        name: str,
        kind: Kind,
        *,
        required: bool = False,
        default: Any = None,
        factory: Callable[[], Any] | None = None,
        wire: bool = True,
        description: str = "",
    ) -> None:
        self.name = name
        self.kind = kind
        self.required = required
        self.default = default
        self.factory = factory
        self.wire = wire
        self.description = description

    def make_default(self) -> Any:
        return self.factory() if self.factory is not None else self.default

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.kind!r}, required={self.required})"


def _datetime_json(value: _dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def dump_value(
    value: Any, json_mode: bool, exclude_none: bool, exclude_unset: bool = False, wire: bool = False
) -> Any:
    """A field value as model_dump gives it: nested public types as dicts, containers copied; in JSON mode
    also datetimes as ISO text (`Z` for UTC, as pydantic) and bytes as base64. With `wire`, nested types
    give their `to_json()` (a behaviour may shape its own body)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if wire:
        to_json = getattr(value, "to_json", None)
        if to_json is not None:
            return to_json()
    dump = getattr(value, "_dump", None)
    if dump is not None:
        return dump(json_mode, exclude_none, exclude_unset, False)
    to_json = getattr(value, "to_json", None)  # a hand-written type
    if to_json is not None:
        return to_json()
    if isinstance(value, list | tuple):
        return [dump_value(item, json_mode, exclude_none, exclude_unset, wire) for item in value]
    if isinstance(value, Mapping):
        return {
            key: dump_value(item, json_mode, exclude_none, exclude_unset, wire) for key, item in value.items()
        }
    if json_mode:
        if isinstance(value, _dt.datetime):
            return _datetime_json(value)
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
    return value
