"""Behaviour of the session-search types (generated from openapi.yaml)."""

from __future__ import annotations

import datetime as _dt

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["SessionSearchCursorBehaviour"]


class SessionSearchCursorBehaviour:
    __slots__ = ()
    last_created_at: _dt.datetime

    def _validate(self) -> None:
        # 0.38 types it AwareDatetime: a naive time is refused (it would page from the wrong instant)
        if self.last_created_at.tzinfo is None or self.last_created_at.utcoffset() is None:
            raise InvalidInputError(
                f"SessionSearchCursor.last_created_at must have a timezone, got {self.last_created_at!r}"
            )
