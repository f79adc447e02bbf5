"""Field kinds of the generated public types: how one field is checked on the way in and dumped on the way out.

The generator (codegen/types_gen.py) describes every field of every public type with these kinds, taken from
the field's schema in openapi.yaml; the base classes (`_base.py`) run them. One checker serves both the
constructor (user input: `InvalidInputError`) and `from_wire` (server answers: `ResponseFormatError` with the
JSON pointer of the bad value), so a value is checked exactly once.

The kinds live by concern in `_kind.py` (base), `_scalar_kinds.py` and `_container_kinds.py`; this module is
the one import surface of them (the generated code uses `_fields as f`), plus `Field` and the dump of values.
"""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any

from tinker_ext._types._container_kinds import Dict, List, Nullable, Ref, Tagged, Union
from tinker_ext._types._kind import MISSING, Bad, Kind
from tinker_ext._types._scalar_kinds import Any_, Bool, Bytes, Const, DateTime, Enum, Int, Num, Number, Str

__all__ = [
    "MISSING",
    "Any_",
    "Bad",
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
