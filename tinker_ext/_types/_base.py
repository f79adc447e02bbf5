"""The hand-written base of every generated public type (generated/tinker_ext_raw/public).

A generated class lists its behaviour mixin (if any) and one of these bases; its `__tinker_fields__`
(emitted by codegen/types_gen.py from openapi.yaml) drive everything here:

- `PublicModel`: the types that are pydantic models in tinker 0.38. Keyword construction with checking,
  frozen, and the pydantic calls user code makes (`model_dump`, `model_dump_json`, `model_validate`,
  `model_copy`, `model_fields`, `model_fields_set`), with pydantic's equality, hash, repr and pickling.
  pydantic itself is not a dependency.
- `PublicDataclass`: the types that are frozen stdlib dataclasses in 0.38 (the generator applies
  `@dataclasses.dataclass(frozen=True)`), so `dataclasses.replace/fields/asdict` work.

Both parse a server answer once: `from_wire(json_object)` checks every field against its kind and raises
`ResponseFormatError` (with the JSON pointer) for anything unusable; unknown keys are ignored. `to_json()`
is the body the official SDK sends (None omitted, client-only fields left out).
A mixin adds checks by defining `_validate(self)` (run after construction and after parsing).
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

from tinker_ext._core.exceptions import InvalidInputError, ResponseFormatError
from tinker_ext._types._fields import MISSING, Bad, Bytes, Field, dump_value
from tinker_ext._types.pydantic_api import PydanticAPI

__all__ = ["FieldInfo", "GeneratedType", "PublicDataclass", "PublicModel"]

_T = TypeVar("_T", bound="_Wire")
_FIELDS_SET = "__tinker_fields_set__"


def _input_error(cls: type, exc: Bad) -> InvalidInputError:
    got = "None" if exc.got is None else f"{type(exc.got).__name__} {exc.got!r}"[:200]
    where = exc.pointer.replace("/", ".")
    message = f"{cls.__name__}{where} must be {exc.expected}, got {got}"
    return InvalidInputError(message + _lax_038_note(exc.expected, exc.got))


def _lax_038_note(expected: str, got: Any) -> str:
    """What tinker 0.38's pydantic (lax mode) would have done with the value we refuse. We refuse on
    purpose: a string or bool where a number belongs is usually an unconverted argparse/YAML value."""
    converted: Any = None
    if isinstance(got, bool) and expected in ("an int", "a number"):
        converted = int(got) if expected == "an int" else float(got)
    elif isinstance(got, str) and expected in ("an int", "a number"):
        try:
            number = float(got.strip())
        except ValueError:
            return ""
        if expected == "an int":
            if not number.is_integer():
                return ""
            converted = int(number)
        else:
            converted = number
    if converted is None:
        return ""
    return f" (tinker 0.38 would have converted {got!r} to {converted!r}; convert it before passing it)"


class _Wire:
    """What both kinds share: the field table, parsing from the wire, dumping to it."""

    __slots__ = ()
    __tinker_fields__: ClassVar[tuple[Field, ...]] = ()

    def _validate(self) -> None:
        """Checks beyond the field kinds; a behaviour mixin overrides it (raise InvalidInputError)."""

    @classmethod
    def from_wire(cls: type[_T], data: Any) -> _T:
        """Parse a decoded JSON object (a server answer): checked once, unknown keys ignored."""
        if not isinstance(data, Mapping):
            got = "null" if data is None else type(data).__name__
            raise ResponseFormatError(
                f"{cls.__name__}: expected a JSON object, got {got}", pointer="", expected="a JSON object"
            )
        return cls._from_checked(data)

    @classmethod
    def from_json(cls: type[_T], data: Any) -> _T:
        """Alias of `from_wire` (the name the hand-written types had)."""
        return cls.from_wire(data)

    @classmethod
    def _from_checked(cls: type[_T], data: Mapping[str, Any]) -> _T:
        values: dict[str, Any] = {}
        for field in cls.__tinker_fields__:
            if field.name in data and field.wire:
                try:
                    values[field.name] = field.kind.check(data[field.name])
                except Bad as exc:
                    bad = exc.within(field.name)
                    error = bad.as_response_error(cls.__name__)
                    error.bad = bad  # type: ignore[attr-defined]  # a Ref nesting this type re-raises it
                    raise error from None
            elif field.required:
                raise ResponseFormatError(
                    f"{cls.__name__}: required key {field.name!r} is missing",
                    pointer=f"/{field.name}",
                    expected="a required key",
                )
        try:
            return cls._build(values)
        except InvalidInputError as exc:  # a behaviour check failed on an answer: still a bad answer
            error = ResponseFormatError(f"{cls.__name__}: {exc}", pointer="", expected=None)
            error.bad = Bad(f"a valid {cls.__name__} ({exc})", data)  # type: ignore[attr-defined]  # for a Ref
            raise error from None

    @classmethod
    def _build(cls: type[_T], values: dict[str, Any]) -> _T:
        """An instance from already checked values (defaults filled in), then `_validate`."""
        self = cls.__new__(cls)
        for field in cls.__tinker_fields__:
            value = values[field.name] if field.name in values else field.make_default()
            object.__setattr__(self, field.name, value)
        self._after_build(frozenset(values))
        self._validate()
        return self

    def _after_build(self, fields_set: frozenset[str]) -> None:
        pass

    @classmethod
    def _trusted(cls: type[_T], **values: Any) -> _T:
        """An instance from values a decoder produced and checked itself (the protobuf result path): no
        field check, no `_validate`; omitted fields take their defaults."""
        self = cls.__new__(cls)
        for field in cls.__tinker_fields__:
            name = field.name
            object.__setattr__(self, name, values[name] if name in values else field.make_default())
        self._after_build(frozenset(values))
        return self

    def _replaced(self: _T, **changes: Any) -> _T:
        """A copy with `changes` applied unchecked: for values derived by the client from checked ones
        (e.g. sequence ids stamped from the promise)."""
        new = type(self).__new__(type(self))
        for field in self.__tinker_fields__:
            name = field.name
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        new._after_build(self._fields_set() | frozenset(changes))
        return new

    @classmethod
    def _plan(cls) -> tuple[tuple[str, Field, bool, bool, bool, bool], ...]:
        """Per class, once: (name, field, on the wire, plain JSON, float field, base64 text) per field."""
        plan = cls.__dict__.get("_tinker_plan")
        if plan is None:
            model = issubclass(cls, PublicModel)
            plan = tuple(
                (f.name, f, f.wire, f.kind.plain, model and f.kind.floats, isinstance(f.kind, Bytes))
                for f in cls.__tinker_fields__
            )
            type.__setattr__(cls, "_tinker_plan", plan)
        return plan

    def _dump(
        self, json_mode: bool, exclude_none: bool, exclude_unset: bool, wire_only: bool
    ) -> dict[str, Any]:
        fields_set = self._fields_set() if exclude_unset else None
        out: dict[str, Any] = {}
        for name, field, wire, plain, floats, base64_text in self._plan():
            if wire_only and not wire:
                continue
            if fields_set is not None and name not in fields_set:
                continue
            value = getattr(self, name)
            if value is None:
                if not exclude_none:
                    out[name] = None
                continue
            if json_mode and floats:
                value = field.kind.json_value(value)
            elif base64_text and isinstance(value, bytes):
                # `format: byte` is base64 text in every dump mode (0.38's field serializers do the same)
                value = base64.b64encode(value).decode("ascii")
            if plain:  # no walk: the wire body may share it, a dump gets a copy of the container
                out[name] = value if wire_only or not isinstance(value, list | dict) else copy.copy(value)
            else:
                out[name] = dump_value(value, json_mode, exclude_none, exclude_unset, wire_only)
        return out

    def _fields_set(self) -> frozenset[str]:
        return frozenset(f.name for f in self.__tinker_fields__)

    def to_json(self) -> dict[str, Any]:
        """The JSON body the official SDK sends: None omitted, client-only fields left out."""
        return self._dump(True, True, False, True)


GeneratedType = _Wire  # what every generated public type is an instance of


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    """What `model_fields[name]` tells (the part of pydantic's FieldInfo user code reads)."""

    annotation: Any
    default: Any
    description: str | None

    def is_required(self) -> bool:
        return self.default is MISSING


class _ModelFields:
    """`Model.model_fields`: a class-level mapping name -> FieldInfo (built once per class)."""

    def __get__(self, instance: object, owner: type[PublicModel]) -> dict[str, FieldInfo]:
        cached = owner.__dict__.get("_model_fields_cache")
        if cached is None:
            hints = getattr(owner, "__annotations__", {})
            cached = {
                f.name: FieldInfo(
                    annotation=hints.get(f.name),
                    default=MISSING if f.required else f.make_default(),
                    description=f.description or None,
                )
                for f in owner.__tinker_fields__
            }
            type.__setattr__(owner, "_model_fields_cache", cached)
        return dict(cached)


class PublicModel(PydanticAPI, _Wire):
    """Base of the generated types that are pydantic models in tinker 0.38 (frozen, extra keys ignored)."""

    model_fields: ClassVar[dict[str, FieldInfo]] = _ModelFields()  # type: ignore[assignment]

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        state = self.__dict__
        used = 0
        for name, field, *_ in cls._plan():
            if name in data:
                used += 1
                try:
                    state[name] = field.kind.check(data[name])
                except Bad as exc:
                    raise _input_error(cls, exc.within(name)) from None
            elif field.required:
                raise InvalidInputError(f"{cls.__name__}: field {name!r} is required")
            else:
                state[name] = field.make_default()
        if used != len(data):
            unknown = sorted(set(data) - {f.name for f in cls.__tinker_fields__})
            raise InvalidInputError(
                f"{cls.__name__}: unexpected field(s) {', '.join(unknown)} (tinker 0.38 refuses unknown "
                "fields on request types and drops them silently on the others; tinker-ext refuses them "
                "everywhere so a misspelt keyword is never ignored)"
            )
        state[_FIELDS_SET] = frozenset(data)
        self._validate()

    def _after_build(self, fields_set: frozenset[str]) -> None:
        object.__setattr__(self, _FIELDS_SET, fields_set)

    def _fields_set(self) -> frozenset[str]:
        return frozenset(self.__dict__.get(_FIELDS_SET, ()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise InvalidInputError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise InvalidInputError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in self.__tinker_fields__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), *self._values()))

    def __repr__(self) -> str:
        body = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__tinker_fields__)
        return f"{type(self).__name__}({body})"

    __str__ = __repr__

    @property
    def model_fields_set(self) -> set[str]:
        return set(self._fields_set())

    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        **pydantic_options: Any,
    ) -> dict[str, Any]:
        """As pydantic's: a dict of the fields (nested models as dicts); `mode="json"` gives JSON values.
        pydantic's options with no effect on these types (round_trip, context, serialize_as_any, warnings,
        fallback, exclude_computed_fields) are accepted; any other keyword is a TypeError, as in pydantic."""
        _check_pydantic_options("model_dump", pydantic_options)
        if mode not in ("json", "python"):
            raise InvalidInputError(f"mode must be 'json' or 'python', got {mode!r}")
        out = self._dump(mode == "json", exclude_none, exclude_unset, False)
        if include is not None:
            keep = set(include)
            out = {k: v for k, v in out.items() if k in keep}
        if exclude is not None:
            drop = set(exclude)
            out = {k: v for k, v in out.items() if k not in drop}
        if exclude_defaults:
            defaults = {f.name: f for f in self.__tinker_fields__ if not f.required}
            out = {
                k: v
                for k, v in out.items()
                if k not in defaults or getattr(self, k) != defaults[k].make_default()
            }
        return out

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        **pydantic_options: Any,
    ) -> str:
        """As pydantic's: compact JSON text (non-ASCII kept) of `model_dump(mode="json", ...)`."""
        _check_pydantic_options("model_dump_json", pydantic_options)
        data = self.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        small: list[str] = []
        data = _mark_small_floats(data, small)
        if indent is None:
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        else:
            text = json.dumps(data, indent=indent, ensure_ascii=False)
        for index, number in enumerate(small):
            text = text.replace(json.dumps(f"{_SMALL_FLOAT}{index}"), number, 1)
        return text

    @classmethod
    def model_validate(cls: type[_M], obj: Any) -> _M:
        """An instance from a dict (or an instance); a bad value raises InvalidInputError (a ValueError)."""
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, Mapping):
            raise InvalidInputError(
                f"{cls.__name__}.model_validate: expected a mapping, got {type(obj).__name__}"
            )
        known = {f.name for f in cls.__tinker_fields__}
        known |= {key for keys in getattr(cls, "__tinker_keyed__", {}).values() for key, _ in keys}
        return cls(**{k: v for k, v in obj.items() if k in known})

    def model_copy(self: _M, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> _M:
        """As pydantic's: a copy with `update` applied as given (not checked), deep-copied if `deep`."""
        new = type(self).__new__(type(self))
        state = copy.deepcopy(self.__dict__) if deep else dict(self.__dict__)
        if update:
            state.update(update)
            state[_FIELDS_SET] = frozenset(state.get(_FIELDS_SET, ())) | frozenset(update)
        object.__setattr__(new, "__dict__", state)
        return new


_M = TypeVar("_M", bound=PublicModel)

# model_dump options of pydantic 2 that change nothing for these types (no serializers, no subclass
# fields, no computed fields, nothing to round-trip differently)
_NO_EFFECT_OPTIONS = frozenset(
    {"round_trip", "context", "serialize_as_any", "warnings", "fallback", "exclude_computed_fields"}
)


def _check_pydantic_options(method: str, options: Mapping[str, Any]) -> None:
    unknown = sorted(set(options) - _NO_EFFECT_OPTIONS)
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")


# pydantic writes floats below 1e-5 as `2e-6` (and 1e-5 <= x < 1e-4 as `0.000015`) where json writes `2e-06` /
# `1.5e-05`: such floats go through json.dumps as marker strings and are put back in pydantic's form
_SMALL_FLOAT = "\x00tinker-ext-float:"


def _pydantic_float(value: float) -> str | None:
    text = repr(value)
    if "e-" not in text:
        return None  # the same text in both (large exponents are `1e+16` in both)
    mantissa, _, exponent = text.partition("e-")
    if int(exponent) == 5:
        sign = "-" if mantissa.startswith("-") else ""
        return f"{sign}0.0000{mantissa.lstrip('-').replace('.', '')}"
    return f"{mantissa}e-{int(exponent)}"


def _mark_small_floats(value: Any, found: list[str]) -> Any:
    if isinstance(value, float):
        number = _pydantic_float(value)
        if number is None:
            return value
        found.append(number)
        return f"{_SMALL_FLOAT}{len(found) - 1}"
    if isinstance(value, dict):
        return {key: _mark_small_floats(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [_mark_small_floats(item, found) for item in value]
    return value


class PublicDataclass(_Wire):
    """Base of the generated types that are frozen dataclasses in tinker 0.38.

    The generator applies `@dataclasses.dataclass(frozen=True)`; `__post_init__` checks every field
    against its kind (lists copied) and then runs the mixin's `_validate`.
    """

    __slots__ = ()

    def _coerce(self) -> None:
        """Turn friendly inputs into field values before the kinds check them (a mixin overrides it,
        e.g. numpy arrays -> TensorData); set with object.__setattr__."""

    def __post_init__(self) -> None:
        cls = type(self)
        self._coerce()
        for field in cls.__tinker_fields__:
            value = getattr(self, field.name)
            if value is None and not field.required:
                continue
            try:
                object.__setattr__(self, field.name, field.kind.check(value))
            except Bad as exc:
                raise _input_error(cls, exc.within(field.name)) from None
        self._validate()
