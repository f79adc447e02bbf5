"""Behaviour of the session types: the JWT of AuthTokenResponse is a credential, never printed."""

from __future__ import annotations

__all__ = ["AuthTokenBehaviour"]


class AuthTokenBehaviour:
    """`repr`/`str` redact the token (tinker 0.38 prints it; a credential must not reach logs)."""

    __slots__ = ()
    jwt: str

    def __repr__(self) -> str:
        return f"{type(self).__name__}(jwt='<redacted>')"

    __str__ = __repr__
