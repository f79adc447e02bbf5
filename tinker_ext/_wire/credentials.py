"""The API key: validated once at construction, redacted in every form it could be printed in.

A key is sent as an HTTP header, so it must be header-safe: visible ASCII only (no CR/LF, no control
characters, no spaces inside, no non-ASCII). A bad key is an `InvalidInputError` at construction, never a
retried request, and the error never contains the key.

Keeping the key out of traceback locals: the raw string is wrapped in an `ApiKey` as early as possible,
and `ApiKey.parse` returns (does not raise) the error, so a caller can drop its own reference to the raw
string before raising (see `ServiceClient.__init__`). The header itself is added by `OriginKeyAuth`
(see `_wire.origin`), so no SDK frame holds a headers dict with the key in it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["REDACTED", "ApiKey"]

REDACTED = "<redacted>"
# What the hosted service issues: API keys `tml-...` and short-lived JWTs (base64 of `{"...`).
ISSUED_KEY_PREFIXES = ("tml-", "eyJ")
_MISSING_KEY = "An API key is required: pass api_key=... or set the TINKER_API_KEY environment variable."


def _key_problem(value: object) -> str | None:
    """Why `value` cannot be an API key (the message never includes the value), or None."""
    if isinstance(value, bytes | bytearray | memoryview):
        return "The API key must be a str, got bytes: decode it first (api_key=key.decode())."
    if value is not None and not isinstance(value, str):
        return f"The API key must be a str, got {type(value).__name__}."
    if not isinstance(value, str) or not value.strip():
        return _MISSING_KEY
    for index, char in enumerate(value.strip()):
        code = ord(char)
        if code > 0x7E:
            return (
                f"The API key contains a non-ASCII character at position {index}: it cannot be sent as an "
                "HTTP header. Check that the key was copied correctly."
            )
        if code <= 0x20:
            return (
                f"The API key contains a control or whitespace character (code {code}) at position "
                f"{index}: it cannot be sent as an HTTP header. Check for a stray newline or space."
            )
    return None


def _printed_forms(value: str) -> list[str]:
    """The ways a key can appear in text: plain, Python str/bytes repr escaping, JSON, URL-encoded."""
    forms = {
        value,
        repr(value)[1:-1],
        repr(value.encode("utf-8", "backslashreplace"))[2:-1],
        json.dumps(value)[1:-1],
        urllib.parse.quote(value, safe=""),
        urllib.parse.quote_plus(value, safe=""),
    }
    # Longest first, so a form that contains another is replaced whole.
    return sorted((f for f in forms if f), key=len, reverse=True)


# A key at least this long is redacted wherever it appears: no word contains a realistic key by chance.
# A shorter one (a test key such as "k") only where it stands as a whole token (no letter or digit
# either side), so that redaction cannot mangle messages ("SocketTimeoutError" for the key "k").
WHOLE_TOKEN_BELOW = 16


def _whole_token(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])")


class ApiKey:
    """Holds the API key; its repr, str and pickle never show it."""

    __slots__ = ("_byte_forms", "_forms", "_token_patterns", "_value")

    def __init__(self, value: str) -> None:
        problem = _key_problem(value)
        if problem is not None:
            del value  # keep the bad key out of this frame's locals in the traceback
            raise InvalidInputError(problem)
        self._value = value.strip()
        self._forms = _printed_forms(self._value)
        self._byte_forms = [form.encode("utf-8") for form in self._forms]
        self._token_patterns: list[re.Pattern[str]] | None = None
        if len(self._value) < WHOLE_TOKEN_BELOW:
            self._token_patterns = [_whole_token(form) for form in self._forms]

    @classmethod
    def parse(cls, value: object) -> ApiKey | InvalidInputError:
        """An ApiKey, or the error to raise (returned, so the caller can drop the raw key first)."""
        if isinstance(value, ApiKey):
            return value
        problem = _key_problem(value)
        if problem is not None:
            return InvalidInputError(problem)
        assert isinstance(value, str)
        return cls(value)

    @staticmethod
    def unwrap(parsed: ApiKey | InvalidInputError) -> ApiKey:
        if isinstance(parsed, InvalidInputError):
            raise parsed
        return parsed

    def has_issued_form(self) -> bool:
        """Whether the key looks like one the Tinker service issues: `tml-...` or a JWT (`eyJ...`)."""
        return self._value.startswith(ISSUED_KEY_PREFIXES)

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        """`text` with every printed form of the key replaced by `<redacted>` (for a key shorter than
        `WHOLE_TOKEN_BELOW`, only whole-token occurrences)."""
        for index, form in enumerate(self._forms):
            if form not in text:
                continue
            if self._token_patterns is None:
                text = text.replace(form, REDACTED)
            else:
                text = self._token_patterns[index].sub(REDACTED, text)
        return text

    def scrub_bytes(self, content: bytes) -> bytes:
        """`content` with every printed form of the key replaced (a fast scan when there is none).

        Keys shorter than 8 characters (test keys; real ones are far longer) are left alone here: they
        would match ordinary data and corrupt answers."""
        if len(self._value) < 8:
            return content
        for form in self._byte_forms:
            if form in content:
                content = content.replace(form, REDACTED.encode())
        return content

    def __repr__(self) -> str:
        return f"ApiKey({REDACTED})"

    __str__ = __repr__

    def __reduce__(self) -> Any:  # pickling would write the key; refuse rather than leak it silently
        raise TypeError("ApiKey cannot be pickled")
