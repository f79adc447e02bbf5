"""The rest of the pydantic v2 model API on the types that are pydantic models in tinker 0.38.

`PublicModel` (_base.py) implements the calls with real work (construction, model_dump, model_validate,
model_copy); this mixin adds what user code also calls, in terms of those: iteration as (name, value)
pairs (`dict(model)`), `model_construct`, `model_json_schema` (from openapi.yaml's schema of the type),
the no-op hooks, and pydantic's v1 names (`dict`, `json`, `parse_obj`, `copy`, ...) which warn as
pydantic does (a DeprecationWarning naming the v2 call).
"""

from __future__ import annotations

import builtins
import json
import warnings
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, TypeVar

__all__ = ["PydanticAPI", "use_spec_json"]

_P = TypeVar("_P", bound="PydanticAPI")
_REF = "#/components/schemas/"


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"The `{old}` method is deprecated; use `{new}` instead.", DeprecationWarning, stacklevel=3)


_SPEC_JSON: list[str] = []


def use_spec_json(spec_json: str) -> None:
    """openapi.yaml as JSON, handed down by the generated types module (it imports this module, so this
    module cannot import the generated package): the schemas `model_json_schema` gives."""
    _SPEC_JSON[:] = [spec_json]
    _spec_schemas.cache_clear()


@lru_cache(maxsize=1)
def _spec_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = json.loads(_SPEC_JSON[0])["components"]["schemas"] if _SPEC_JSON else {}
    return schemas


def _rewrite_refs(node: Any, found: set[str]) -> Any:
    """openapi.yaml's `#/components/schemas/X` refs as JSON Schema `#/$defs/X` (collecting X)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                found.add(value[len(_REF) :])
                out[key] = "#/$defs/" + value[len(_REF) :]
            else:
                out[key] = _rewrite_refs(value, found)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, found) for item in node]
    return node


def json_schema_of(name: str, field_names: list[str]) -> dict[str, Any]:
    """The JSON schema of the type called `name`: its openapi.yaml schema with every referenced schema
    under `$defs`; a type the spec does not describe gets an object schema of its field names."""
    schemas = _spec_schemas()
    if name not in schemas:
        return {"title": name, "type": "object", "properties": {f: {} for f in field_names}}
    found: set[str] = set()
    root = {"title": name, **_rewrite_refs(schemas[name], found)}
    defs: dict[str, Any] = {}
    pending = sorted(found)
    while pending:
        ref = pending.pop()
        if ref in defs or ref == name or ref not in schemas:
            continue
        more: set[str] = set()
        defs[ref] = {"title": ref, **_rewrite_refs(schemas[ref], more)}
        pending.extend(sorted(more - set(defs)))
    if defs:
        root["$defs"] = dict(sorted(defs.items()))
    return root


class PydanticAPI:
    """Mixin for PublicModel: pydantic's remaining model API (see module docstring)."""

    __slots__ = ()

    # As 0.38's models: frozen. Unknown keywords are refused by the constructor (pydantic's "forbid").
    model_config: ClassVar[dict[str, Any]] = {"frozen": True, "extra": "forbid"}
    model_computed_fields: ClassVar[dict[str, Any]] = {}

    # -- iteration and extras

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs of the fields, as pydantic models iterate (so `dict(model)` works)."""
        for field in self._field_names():
            yield field, getattr(self, field)

    @classmethod
    def _field_names(cls) -> list[str]:
        return [f.name for f in getattr(cls, "__tinker_fields__", ())]

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """None: extra keys are never stored (pydantic's answer unless extra="allow")."""
        return None

    def model_post_init(self, context: Any, /) -> None:
        """pydantic's hook after validation; nothing to do."""

    @classmethod
    def model_rebuild(cls, **_options: Any) -> bool | None:
        """pydantic's forward-reference rebuild: our types are complete, so nothing to rebuild (None)."""
        return None

    @classmethod
    def model_parametrized_name(cls, params: tuple[type[Any], ...]) -> str:
        raise TypeError("Concrete names should only be generated for generic models.")

    # -- construction

    @classmethod
    def model_construct(cls: type[_P], _fields_set: set[str] | None = None, **values: Any) -> _P:
        """An instance from trusted values, unchecked (as pydantic's); missing fields get their defaults."""
        model: Any = cls
        known = {k: v for k, v in values.items() if k in cls._field_names()}
        built: _P = model._trusted(**known)
        if _fields_set is not None:
            built._after_build(frozenset(_fields_set))  # type: ignore[attr-defined]
        return built

    @classmethod
    def model_validate_json(cls: type[_P], text: str | bytes, **_options: Any) -> _P:
        """An instance from JSON text; text that is not JSON raises InvalidInputError (a ValueError)."""
        from tinker_ext._core.exceptions import InvalidInputError

        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInputError(f"{cls.__name__}.model_validate_json: not JSON ({exc})") from None
        return cls.model_validate(data)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def model_validate_strings(cls: type[_P], obj: Any, **_options: Any) -> _P:
        return cls.model_validate(obj)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def model_json_schema(
        cls, by_alias: bool = True, ref_template: str = "", **_options: Any
    ) -> dict[str, Any]:
        """The type's JSON schema, from openapi.yaml (the wire contract the type is generated from)."""
        return json_schema_of(cls.__name__, cls._field_names())

    # -- pydantic v1 names (deprecated in pydantic 2, still called by older code)

    def dict(self, **kwargs: Any) -> builtins.dict[str, Any]:
        _deprecated("dict", "model_dump")
        return self.model_dump(**kwargs)  # type: ignore[attr-defined, no-any-return]

    def json(self, **kwargs: Any) -> str:
        _deprecated("json", "model_dump_json")
        return self.model_dump_json(**kwargs)  # type: ignore[attr-defined, no-any-return]

    def copy(self: _P, *, update: Mapping[str, Any] | None = None, deep: bool = False, **_: Any) -> _P:
        _deprecated("copy", "model_copy")
        return self.model_copy(update=update, deep=deep)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def parse_obj(cls: type[_P], obj: Any) -> _P:
        _deprecated("parse_obj", "model_validate")
        return cls.model_validate(obj)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def validate(cls: type[_P], value: Any) -> _P:
        _deprecated("validate", "model_validate")
        return cls.model_validate(value)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def parse_raw(cls: type[_P], b: str | bytes, **_: Any) -> _P:
        _deprecated("parse_raw", "model_validate_json")
        return cls.model_validate_json(b)

    @classmethod
    def parse_file(cls: type[_P], path: str | Path, **_: Any) -> _P:
        _deprecated("parse_file", "model_validate_json")
        return cls.model_validate_json(Path(path).read_bytes())

    @classmethod
    def from_orm(cls: type[_P], obj: Any) -> _P:
        """An instance from an object's attributes (pydantic's from_attributes validation)."""
        _deprecated("from_orm", "model_validate")
        values = {name: getattr(obj, name) for name in cls._field_names() if hasattr(obj, name)}
        return cls.model_validate(values)  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def construct(cls: type[_P], _fields_set: set[str] | None = None, **values: Any) -> _P:
        _deprecated("construct", "model_construct")
        return cls.model_construct(_fields_set, **values)

    @classmethod
    def schema(cls, by_alias: bool = True, ref_template: str = "") -> builtins.dict[str, Any]:
        _deprecated("schema", "model_json_schema")
        return cls.model_json_schema()

    @classmethod
    def schema_json(cls, *, by_alias: bool = True, ref_template: str = "", **dumps_kwargs: Any) -> str:
        _deprecated("schema_json", "model_json_schema")
        return json.dumps(cls.model_json_schema(), **dumps_kwargs)

    @classmethod
    def update_forward_refs(cls, **_localns: Any) -> None:
        _deprecated("update_forward_refs", "model_rebuild")
