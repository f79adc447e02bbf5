"""Shared helpers of the wire-parity tests: JSON comparison and the additional_properties walk."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

import attrs

# A date-time string whose UTC offset is spelled "Z" (pydantic) or "+00:00" (datetime.isoformat):
# the same instant, so the comparison treats the two spellings as equal and nothing else.
_UTC_SUFFIX = re.compile(r"(Z|\+00:00)$")
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _same_datetime_text(a: str, b: str) -> bool:
    if not (_ISO_PREFIX.match(a) and _ISO_PREFIX.match(b)):
        return False
    if _UTC_SUFFIX.sub("", a) != _UTC_SUFFIX.sub("", b):
        return False
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


def json_differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every place where two JSON trees differ (types matter: 1 != 1.0 != True)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{path}.{key}: missing after round trip (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected key after round trip ({actual[key]!r})")
            else:
                out.extend(json_differences(expected[key], actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: length {len(expected)} != {len(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out.extend(json_differences(e, a, f"{path}[{i}]"))
        return out
    if type(expected) is not type(actual):
        return [f"{path}: {expected!r} ({type(expected).__name__}) != {actual!r} ({type(actual).__name__})"]
    if expected != actual:
        if isinstance(expected, str) and _same_datetime_text(expected, actual):
            return []
        return [f"{path}: {expected!r} != {actual!r}"]
    return []


def _declared_fields(obj: Any) -> list[str]:
    return [f.name for f in attrs.fields(type(obj)) if f.name != "additional_properties"]


def unknown_keys(obj: Any, path: str = "$") -> list[str]:
    """Keys that landed in `additional_properties` of a generated model that declares fields.

    Pure map wrappers (LossFnInputs, Metrics, ...) declare no fields: their additional_properties are the
    content, so only their values are walked.
    """
    out: list[str] = []
    if attrs.has(type(obj)):
        extra = getattr(obj, "additional_properties", {})
        declared = _declared_fields(obj)
        if declared and extra:
            out.append(f"{path} ({type(obj).__name__}): unknown keys {sorted(extra)}")
        for name in declared:
            out.extend(unknown_keys(getattr(obj, name), f"{path}.{name}"))
        if not declared:
            for key, value in extra.items():
                out.extend(unknown_keys(value, f"{path}[{key!r}]"))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            out.extend(unknown_keys(item, f"{path}[{i}]"))
    return out


def round_trip(generated_cls: type, wire: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Parse the official JSON with the generated model and dump it again."""
    model = generated_cls.from_dict(copy.deepcopy(wire))
    return model, model.to_dict()
