"""The string constraints openapi.yaml puts on request bodies, checked at the call.

The generated request models check no `pattern` / `minLength` / `maxLength`; the spec bundled with the
generated package (`tinker_ext_raw.openapi_spec`) is read once per body schema, so that a constraint
added to openapi.yaml (e.g. the checkpoint name pattern) is refused before sending with no code change.
Only the top-level string properties of a body are checked (where the constraints are).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import attrs
import orjson

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["check_body_strings", "string_rules"]

_SHOWN_CHARS = 60  # of a refused value in the error message (names can be long)


@attrs.frozen
class _StringRule:
    field: str
    pattern: re.Pattern[str] | None
    min_length: int | None
    max_length: int | None
    source: str  # the pattern as written in the spec


def _compile(pattern: str) -> re.Pattern[str]:
    # ECMA-262 `$` (JSON Schema's dialect) matches only at the very end; Python's also before a final
    # newline, which would let "name\n" through.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@functools.cache
def _schemas() -> dict[str, Any]:
    from tinker_ext_raw.openapi_spec import SPEC_JSON

    schemas: dict[str, Any] = orjson.loads(SPEC_JSON)["components"]["schemas"]
    return schemas


@functools.cache
def string_rules(model: str) -> tuple[_StringRule, ...]:
    """The string constraints of schema `model`'s top-level properties (also checked on answers)."""
    properties = _schemas().get(model, {}).get("properties", {})
    rules = []
    for field, prop in properties.items():
        pattern, low, high = prop.get("pattern"), prop.get("minLength"), prop.get("maxLength")
        if pattern is not None or low is not None or high is not None:
            compiled = None if pattern is None else _compile(pattern)
            rules.append(_StringRule(field, compiled, low, high, pattern or ""))
    return tuple(rules)


def _shown(value: str) -> str:
    if len(value) <= _SHOWN_CHARS:
        return repr(value)
    return f"{value[:_SHOWN_CHARS]!r}... ({len(value)} characters)"


def check_body_strings(model: str, body: Mapping[str, Any]) -> None:
    """InvalidInputError naming `model.field` when a string of `body` breaks its spec constraint."""
    for rule in string_rules(model):
        value = body.get(rule.field)
        if not isinstance(value, str):
            continue
        where = f"{model}.{rule.field}"
        if rule.min_length is not None and len(value) < rule.min_length:
            raise InvalidInputError(
                f"{where} must have at least {rule.min_length} characters, got {_shown(value)}"
            )
        if rule.max_length is not None and len(value) > rule.max_length:
            raise InvalidInputError(
                f"{where} must have at most {rule.max_length} characters, got {_shown(value)}"
            )
        if rule.pattern is not None and rule.pattern.search(value) is None:
            raise InvalidInputError(f"{where} must match {rule.source}, got {_shown(value)}")
