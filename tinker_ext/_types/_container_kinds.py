"""Field kinds that hold other kinds: nullable, lists, dicts, references to public types, unions, tagged
unions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tinker_ext._core.exceptions import ResponseFormatError
from tinker_ext._types._kind import Bad, Kind
from tinker_ext._types._scalar_kinds import Int

__all__ = ["Dict", "List", "Nullable", "Ref", "Tagged", "Union"]


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
