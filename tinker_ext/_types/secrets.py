"""Behaviour of the types that hold a credential: `repr`/`str` never show it.

tinker 0.38 prints them (a JWT, a weights access token); a credential must not reach logs or tracebacks.
The value itself is unchanged (dumps and bodies carry it)."""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["AuthTokenBehaviour", "CopyWeightsBehaviour", "LoadWeightsBehaviour", "RedactedRepr"]


class RedactedRepr:
    __slots__ = ()
    _secret_fields: ClassVar[tuple[str, ...]] = ()
    __tinker_fields__: ClassVar[tuple[Any, ...]]

    def __repr__(self) -> str:
        parts = []
        for field in self.__tinker_fields__:
            value = getattr(self, field.name)
            shown = "'<redacted>'" if field.name in self._secret_fields and value is not None else repr(value)
            parts.append(f"{field.name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__


class AuthTokenBehaviour(RedactedRepr):
    """AuthTokenResponse: the JWT."""

    __slots__ = ()
    _secret_fields = ("jwt",)


class CopyWeightsBehaviour(RedactedRepr):
    """CopyWeightsRequest: the weights access token (sent as a header by the client, never in its body)."""

    __slots__ = ()
    _secret_fields = ("weights_access_token",)


class LoadWeightsBehaviour(RedactedRepr):
    """LoadWeightsRequest: the weights access token of a checkpoint under another account."""

    __slots__ = ()
    _secret_fields = ("weights_access_token",)
