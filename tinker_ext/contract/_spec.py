"""The OpenAPI spec as the contract: operations by operationId, response schemas, JSON Schema validation.

The bundled spec is `tinker_ext_raw.openapi_spec.SPEC_JSON`, written from the repository's `openapi.yaml` (the
source of truth of the wire) by `nox -s codegen` and checked for drift by `nox -s codegen_check`, like the
rest of generated/; so the check needs no YAML parser at run time and cannot drift from the spec.

Validation is jsonschema (Draft 2020-12, the dialect of OpenAPI 3.1), a dependency of tinker-ext, imported
lazily so that importing tinker_ext stays cheap. `format` is checked for `date-time` only, and reported as a warning:
the official SDK's pydantic models accept a timestamp without a timezone, RFC 3339 does not.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._report import Severity, Violation

__all__ = [
    "ContractSpec",
    "MissingDependencyError",
    "Operation",
    "json_pointer",
    "short_repr",
]

_GOT_MAX = 160


class MissingDependencyError(ImportError):
    """A tool `tinker_ext.contract` needs is not installed (a tool error, never a server finding)."""


def _jsonschema() -> Any:
    try:
        import jsonschema
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "tinker_ext.contract needs jsonschema (a dependency of tinker-ext): pip install 'jsonschema>=4.21'"
        ) from exc
    return jsonschema


def json_pointer(parts: Any) -> str:
    """RFC 6901 pointer of a path (sequence of keys and indices)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def short_repr(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _GOT_MAX else text[: _GOT_MAX - 1] + "…"


def _is_rfc3339_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True  # `type` reports non-strings
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value.upper() and parsed.tzinfo is not None


def _is_iso_datetime(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value.upper():
        return False
    try:
        _dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@attrs.frozen
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    spec: Mapping[str, Any] = attrs.field(repr=False)

    def response(self, status: int) -> Mapping[str, Any] | None:
        """The documented response for `status` (exact code, then `4XX`-style range, then default)."""
        responses: Mapping[str, Any] = self.spec.get("responses", {})
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                found: Mapping[str, Any] = responses[key]
                return found
        return None


@attrs.frozen
class ContractSpec:
    """A loaded OpenAPI 3.1 document."""

    document: Mapping[str, Any] = attrs.field(repr=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ContractSpec:
        """The bundled snapshot, or the spec at `path` (`.json`, or `.yaml`/`.yml` with PyYAML)."""
        if path is None:
            return _bundled()
        source = Path(path)
        text = source.read_text(encoding="utf-8")
        if source.suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise MissingDependencyError("reading a YAML spec needs PyYAML: pip install pyyaml") from exc
            return cls(yaml.safe_load(text))
        return cls(json.loads(text))

    @functools.cached_property
    def operations(self) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for path, item in self.document.get("paths", {}).items():
            for method, operation in item.items():
                if isinstance(operation, Mapping) and "operationId" in operation:
                    found[operation["operationId"]] = Operation(
                        operation["operationId"], method.upper(), path, operation
                    )
        return found

    def operation(self, operation_id: str) -> Operation:
        return self.operations[operation_id]

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow a local `$ref` (`#/components/...`) until a non-reference node."""
        while "$ref" in node:
            reference = node["$ref"]
            if not isinstance(reference, str) or not reference.startswith("#/"):
                raise ValueError(f"unsupported $ref {reference!r}")
            target: Any = self.document
            for part in reference[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response_schema(self, operation_id: str, status: int) -> Mapping[str, Any] | None:
        """The JSON schema of the `application/json` body of `status`, or None (undocumented/no JSON)."""
        response = self.operation(operation_id).response(status)
        if response is None:
            return None
        content = self.resolve(response).get("content", {})
        media = content.get("application/json")
        return None if media is None else media.get("schema")

    def documents_status(self, operation_id: str, status: int) -> bool:
        return self.operation(operation_id).response(status) is not None

    def schema(self, name: str) -> Mapping[str, Any]:
        return {"$ref": f"#/components/schemas/{name}"}

    def _validator(self, schema: Mapping[str, Any]) -> Any:
        jsonschema = _jsonschema()
        # The components ride along in the root schema, so the spec's `#/components/...` refs resolve
        # without a registry (2020-12 allows `$ref` next to other keywords; `components` is ignored).
        root = {"components": self.document.get("components", {}), **schema}
        checker = jsonschema.FormatChecker(formats=())
        checker.checks("date-time")(_is_rfc3339_datetime)
        return jsonschema.Draft202012Validator(root, format_checker=checker)

    def validate(self, instance: Any, schema: Mapping[str, Any], *, where: str) -> list[Violation]:
        """Every violation of `schema` by `instance`, most specific cause first, sorted by pointer."""
        jsonschema = _jsonschema()
        validator = self._validator(schema)
        violations: list[Violation] = []
        for error in validator.iter_errors(instance):
            # For oneOf/anyOf, the branch that got furthest says more than "is not valid under any".
            cause = jsonschema.exceptions.best_match([error]) if not error.context else _deepest(error)
            violations.append(_violation(cause, where))
        violations.sort(key=lambda v: (v.pointer, v.rule))
        return violations

    def validate_named(self, instance: Any, name: str, *, where: str) -> list[Violation]:
        return self.validate(instance, self.schema(name), where=where)


def _deepest(error: Any) -> Any:
    """The most relevant leaf of a oneOf/anyOf error: prefer the branch whose errors are deepest."""
    jsonschema = _jsonschema()
    best = jsonschema.exceptions.best_match(error.context)
    return best if best is not None else error


def _violation(error: Any, where: str) -> Violation:
    keyword = str(error.validator)
    if keyword == "format":
        # A parseable timestamp without a timezone works with the official SDK (pydantic): a warning.
        return Violation(
            rule="schema:format",
            where=where,
            pointer=json_pointer(error.absolute_path),
            expected=f"format {error.validator_value} (RFC 3339, with a timezone offset)",
            got=short_repr(error.instance),
            severity=Severity.WARNING if _is_iso_datetime(error.instance) else Severity.ERROR,
        )
    if keyword == "required":
        missing = error.message.split(" is a required property")[0]
        expected = f"required property {missing}"
        got = "object without it"
    elif keyword in ("additionalProperties", "oneOf", "anyOf", "not"):
        expected = error.message
        got = short_repr(error.instance)
    else:
        expected = f"{keyword} {short_repr(error.validator_value)}"
        got = short_repr(error.instance)
    return Violation(
        rule=f"schema:{keyword}",
        where=where,
        pointer=json_pointer(error.absolute_path),
        expected=expected,
        got=got,
    )


@functools.cache
def _bundled() -> ContractSpec:
    from tinker_ext_raw.openapi_spec import SPEC_JSON

    return ContractSpec(json.loads(SPEC_JSON))
