"""Two generated shapes beyond plain models: the open optimizer family and a field sent under one of
several keys.

- `OpenFamily` (`x-tinker-ext-public: open`): a `type` tag plus any flat fields, as tinker 0.38's
  `OptimizerConfigBase` / `OptimParamsBase` (pydantic `extra="allow"`). Fields the schema does not name are
  kept in `model_extra`, read as attributes and written flat next to `type`. The generated classes that
  declare `x-tinker-ext-family: <schema>` are its members (AdamOptimizerConfig, DimuonParams, ...): they
  refuse unknown fields, and parsing a family object picks the member whose `type` tag it carries when the
  object fits it, else the family class itself.
- `KeyedFields` (`x-tinker-ext-keyed`): one field (OptimStepRequest.optim_params) written under the wire key
  its value's type picks (`adam_params` for AdamParams, else `optimizer_params`); every key is also a
  constructor alias and is read back from an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._base import PublicModel
from tinker_ext._types._fields import Bad, Kind, Ref, dump_value

__all__ = ["KeyedFields", "OpenFamily"]

_EXTRA = "__tinker_extra__"


class OpenFamily(PublicModel):
    """Base of an open family (the generated class sets `__tinker_open__`) and of its members."""

    __tinker_open__: ClassVar[bool] = False
    # the members a family object is parsed as (x-tinker-ext-parsed-as; 0.38's union names only Adam's
    # config): any other tag stays a family object, its fields in model_extra
    __tinker_parsed_as__: ClassVar[tuple[str, ...] | None] = None

    @classmethod
    def _is_open(cls) -> bool:
        return bool(cls.__dict__.get("__tinker_open__", False))

    def __init__(self, **data: Any) -> None:
        if not type(self)._is_open():
            super().__init__(**data)
            return
        known = {f.name for f in self.__tinker_fields__}
        super().__init__(**{k: v for k, v in data.items() if k in known})
        extra = {k: v for k, v in data.items() if k not in known}
        self.__dict__[_EXTRA] = extra
        self.__dict__["__tinker_fields_set__"] = frozenset(data)

    @classmethod
    def _members(cls) -> dict[Any, type[OpenFamily]]:
        """tag -> member class, for the generated subclasses whose `type` is a constant."""
        members: dict[Any, type[OpenFamily]] = {}
        pending = list(cls.__subclasses__())
        allowed = cls.__tinker_parsed_as__
        while pending:
            sub = pending.pop()
            pending.extend(sub.__subclasses__())
            if allowed is not None and sub.__name__ not in allowed:
                continue
            for field in sub.__tinker_fields__:
                value = getattr(field.kind, "value", None)
                if field.name == "type" and value is not None:
                    members.setdefault(value, sub)
        return members

    @classmethod
    def _from_checked(cls, data: Mapping[str, Any]) -> Any:
        if not cls._is_open():
            return super()._from_checked(data)
        member = cls._members().get(data.get("type"))
        if member is not None and set(data) <= {f.name for f in member.__tinker_fields__}:
            try:
                return member._from_checked(data)
            except Exception:  # not this member after all: the family keeps it as is
                pass
        instance = super()._from_checked(data)
        known = {f.name for f in cls.__tinker_fields__}
        instance.__dict__[_EXTRA] = {k: v for k, v in data.items() if k not in known}
        instance.__dict__["__tinker_fields_set__"] = frozenset(data)
        return instance

    @classmethod
    def model_validate(cls, obj: Any) -> Any:
        if cls._is_open() and isinstance(obj, Mapping):
            return cls(**obj)  # the fields the schema does not name are kept, not dropped
        return super().model_validate(obj)

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """The fields the schema does not name (None for a member: it has none, as pydantic's)."""
        extra = self.__dict__.get(_EXTRA)
        return None if extra is None else dict(extra)

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get(_EXTRA) or {}
        if name in extra:
            return extra[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _dump(
        self, json_mode: bool, exclude_none: bool, exclude_unset: bool, wire_only: bool
    ) -> dict[str, Any]:
        out = super()._dump(json_mode, exclude_none, exclude_unset, wire_only)
        for key, value in (self.__dict__.get(_EXTRA) or {}).items():
            if value is None and exclude_none:
                continue
            out[key] = dump_value(value, json_mode, exclude_none, exclude_unset, wire_only)
        return out

    def _values(self) -> tuple[Any, ...]:
        extra = self.__dict__.get(_EXTRA) or {}
        return (*super()._values(), tuple(sorted(extra.items(), key=lambda item: item[0])))

    def __hash__(self) -> int:
        return hash((type(self), *super()._values()))

    def __repr__(self) -> str:
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in self.__tinker_fields__]
        shown += [f"{k}={v!r}" for k, v in (self.__dict__.get(_EXTRA) or {}).items()]
        return f"{type(self).__name__}({', '.join(shown)})"

    __str__ = __repr__


class KeyedFields:
    """Fields written under a wire key chosen by the value's type (`__tinker_keyed__`, generated:
    field name -> ((wire key, kind), ...), first matching key wins)."""

    __slots__ = ()
    __tinker_keyed__: ClassVar[dict[str, tuple[tuple[str, Kind], ...]]] = {}

    def __init__(self, **data: Any) -> None:
        for name, keys in self.__tinker_keyed__.items():
            given = [k for k in (name, *(key for key, _ in keys)) if k in data]
            if len(given) > 1:
                raise InvalidInputError(
                    f"{type(self).__name__}: pass one of {', '.join(given)}, not {len(given)} (aliases of "
                    f"{name})"
                )
            if given and given[0] != name:
                value = data.pop(given[0])
                if isinstance(value, Mapping):  # an object under a wire key: that key's type (0.38)
                    kind = dict(keys)[given[0]]
                    try:
                        value = kind.check(value)
                    except Bad as exc:
                        raise InvalidInputError(
                            f"{type(self).__name__}.{given[0]} must be {exc.expected}"
                        ) from None
                data[name] = value
        super().__init__(**data)

    @classmethod
    def _from_checked(cls, data: Mapping[str, Any]) -> Any:
        body = dict(data)
        for name, keys in cls.__tinker_keyed__.items():
            for key, kind in keys:
                if key in body:
                    try:
                        body[name] = kind.check(body.pop(key))  # the key says which type it is
                    except Bad as exc:
                        raise exc.within(key).as_response_error(cls.__name__) from None
                    break
        return super()._from_checked(body)  # type: ignore[misc]

    def _dump(
        self, json_mode: bool, exclude_none: bool, exclude_unset: bool, wire_only: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = super()._dump(  # type: ignore[misc]
            json_mode, exclude_none, exclude_unset, wire_only
        )
        for name, keys in self.__tinker_keyed__.items():
            if name in out:
                value = getattr(self, name)
                key = next(
                    (k for k, kind in keys if isinstance(kind, Ref) and isinstance(value, kind.cls)),
                    keys[-1][0],
                )
                out[key] = out.pop(name)
        return out
