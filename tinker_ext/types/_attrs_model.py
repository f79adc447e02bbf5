"""The pydantic model API for the hand-written attrs types (what `get_info()` returns, the request types,
`ParsedCheckpointTinkerPath`): in 0.38 these are pydantic models, so user code calls `model_dump`,
`model_validate`, `model_copy`, ... on them. `PydanticAPI` adds the rest (iteration, v1 names, schema).
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._base import FieldInfo
from tinker_ext._types._fields import MISSING
from tinker_ext._types.pydantic_api import PydanticAPI

__all__ = ["AttrsModelAPI", "to_wire"]

_A = TypeVar("_A", bound="AttrsModelAPI")


def to_wire(value: Any) -> Any:
    """Convert a field value to its JSON form (nested models, lists, dicts, bytes, datetimes)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    to_json = getattr(value, "to_json", None)
    if to_json is not None:
        return to_json()
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, _dt.datetime):  # as pydantic's JSON mode: UTC as `Z`
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value


def _python_value(value: Any, as_json: bool, exclude_none: bool) -> Any:
    """A field value as model_dump gives it: nested models as dicts (JSON values in json mode)."""
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        return dump(mode="json" if as_json else "python", exclude_none=exclude_none)
    if isinstance(value, list | tuple):
        return [_python_value(v, as_json, exclude_none) for v in value]
    if isinstance(value, Mapping):
        return {k: _python_value(v, as_json, exclude_none) for k, v in value.items()}
    if as_json:
        return to_wire(value)
    return value


class _ModelFields:
    """`Model.model_fields`: name -> FieldInfo, on the class as pydantic has it."""

    def __get__(self, instance: object, owner: type[AttrsModelAPI]) -> dict[str, FieldInfo]:
        return owner._model_fields()


class AttrsModelAPI(PydanticAPI):
    """Mixin for attrs classes: the pydantic calls PublicModel implements, over the attrs fields."""

    __slots__ = ()
    model_fields: Any = _ModelFields()

    @classmethod
    def _field_names(cls) -> list[str]:
        return [a.name for a in attrs.fields(cls) if a.init]  # type: ignore[arg-type]

    @classmethod
    def _model_fields(cls) -> dict[str, FieldInfo]:
        return {
            a.name: FieldInfo(a.type, MISSING if a.default is attrs.NOTHING else a.default, None)
            for a in attrs.fields(cls)  # type: ignore[arg-type]
            if a.init
        }

    @property
    def model_fields_set(self) -> set[str]:
        """The fields not at their default (attrs keeps no record of what the caller passed)."""
        fields = type(self)._model_fields()
        return {n for n, f in fields.items() if f.default is MISSING or getattr(self, n) != f.default}

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        **_options: Any,
    ) -> dict[str, Any]:
        if mode not in ("json", "python"):
            raise InvalidInputError(f"mode must be 'json' or 'python', got {mode!r}")
        keep = None if include is None else set(include)
        drop = set(exclude or ())
        skip_defaults = exclude_unset or exclude_defaults
        fields = type(self)._model_fields()
        out: dict[str, Any] = {}
        for name, info in fields.items():
            value = getattr(self, name)
            if (keep is not None and name not in keep) or name in drop or (exclude_none and value is None):
                continue
            if skip_defaults and info.default is not MISSING and value == info.default:
                continue
            out[name] = _python_value(value, mode == "json", exclude_none)
        return out

    def model_dump_json(self, *, indent: int | None = None, **options: Any) -> str:
        data = self.model_dump(mode="json", **options)
        if indent is None:
            return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return json.dumps(data, indent=indent, ensure_ascii=False)

    @classmethod
    def model_validate(cls: type[_A], obj: Any, **_options: Any) -> _A:
        """An instance from a dict (its wire form, parsed and checked as a server answer would be)."""
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, Mapping):
            raise InvalidInputError(
                f"{cls.__name__}.model_validate: expected a mapping, got {type(obj).__name__}"
            )
        from_json = getattr(cls, "from_json", None)
        if callable(from_json):
            built: _A = from_json(obj)
            return built
        known = set(cls._field_names())
        try:
            return cls(**{k: v for k, v in obj.items() if k in known})
        except TypeError as exc:
            raise InvalidInputError(f"{cls.__name__}.model_validate: {exc}") from None

    def model_copy(self: _A, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> _A:
        import copy

        new = attrs.evolve(self, **dict(update or {}))  # type: ignore[misc]
        return copy.deepcopy(new) if deep else new

    @classmethod
    def model_construct(cls: type[_A], _fields_set: set[str] | None = None, **values: Any) -> _A:
        known = {k: v for k, v in values.items() if k in cls._field_names()}
        return cls(**known)
