"""Schema -> field kind, for codegen/types_gen.py: the `tinker_ext._types._fields` kind expression that checks,
parses and dumps a property, and the annotation of its public field (`$ref`s to public types, unions, tagged
unions over a `discriminator`, nullables, consts, enums, scalars, lists and maps)."""

from __future__ import annotations

from typing import Any

KINDS = {"model": "PublicModel", "dataclass": "PublicDataclass", "open": "OpenFamily", "enum": "OpenEnum"}
_REF = "#/components/schemas/"


class SpecError(Exception):
    pass


class FieldKinds:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.public: dict[str, str] = {}  # schema name -> class name
        self.exact_numbers = False  # set while rendering a dataclass
        for name, schema in self.schemas.items():
            kind = schema.get("x-tinker-ext-public")
            if kind is None:
                continue
            if kind not in KINDS:
                raise SpecError(f"{name}: x-tinker-ext-public must be one of {sorted(KINDS)}, got {kind!r}")
            self.public[name] = schema.get("x-tinker-ext-public-name", name)

    # ----- one schema -> (kind expression, annotation)

    def field_type(self, schema: dict[str, Any], where: str) -> tuple[str, str]:
        if "$ref" in schema:
            target = schema["$ref"].removeprefix(_REF)
            if target not in self.schemas:
                raise SpecError(f"{where}: unknown $ref {schema['$ref']}")
            if target in self.public:
                cls = self.public[target]
                if self.schemas[target]["x-tinker-ext-public"] == "enum":
                    return f"EnumOf(lambda: {cls})", cls
                return f"f.Ref(lambda: {cls})", cls
            return self.field_type(self.schemas[target], f"{where} -> {target}")
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                return self._union(schema[combinator], where, schema.get("discriminator"))
        types = schema.get("type")
        if isinstance(types, list):
            rest = [t for t in types if t != "null"]
            inner = dict(schema, type=rest[0] if len(rest) == 1 else rest)
            kind, annotation = self.field_type(inner, where)
            return (f"f.Nullable({kind})", f"{annotation} | None") if "null" in types else (kind, annotation)
        if "const" in schema:
            return f"f.Const({schema['const']!r})", f"Literal[{schema['const']!r}]"
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            literal = f"Literal[{', '.join(repr(v) for v in values)}]"
            if len(values) == 1:
                return f"f.Const({values[0]!r})", literal
            return f"f.Enum({', '.join(repr(v) for v in values)})", literal
        if types == "string":
            fmt = schema.get("format")
            if fmt == "date-time":
                return "f.DateTime()", "datetime.datetime"
            if fmt == "byte":
                return "f.Bytes()", "bytes"
            return "f.Str()", "str"
        if types == "integer":
            return "f.Int()", "int"
        if types == "number":
            return ("f.Number()", "float") if self.exact_numbers else ("f.Num()", "float")
        if types == "boolean":
            return "f.Bool()", "bool"
        if types == "array":
            kind, annotation = self.field_type(schema.get("items", {}), f"{where}[]")
            return f"f.List({kind})", f"list[{annotation}]"
        if types == "object" or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                kind, annotation = self.field_type(extra, f"{where}{{}}")
                return f"f.Dict({kind})", f"dict[str, {annotation}]"
            return "f.Dict(f.Any_())", "dict[str, Any]"
        return "f.Any_()", "Any"

    def _union(
        self, alternatives: list[dict[str, Any]], where: str, discriminator: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        nullable = any(alt.get("type") == "null" for alt in alternatives)
        parts = [self.field_type(alt, where) for alt in alternatives if alt.get("type") != "null"]
        open_enums = [p for p in parts if p[0].startswith("EnumOf(") and self._is_open_enum(p[1])]
        if open_enums and all(p in open_enums or p[0] == "f.Str()" for p in parts):
            parts = open_enums[:1]  # an open enum or any string: the enum parses unknown strings itself
        tags = self._tags(alternatives, discriminator, where)
        if len(parts) == 1:
            kind, annotation = parts[0]
        elif tags is not None:
            prop, values = tags
            cases = ", ".join(f"{v!r}: {k}" for v, (k, _) in zip(values, parts, strict=True))
            kind = f"f.Tagged({prop!r}, {{{cases}}})"
            annotation = " | ".join(dict.fromkeys(a for _, a in parts))
        else:
            kind = f"f.Union({', '.join(k for k, _ in parts)})"
            annotation = " | ".join(dict.fromkeys(a for _, a in parts))
        if nullable:
            return f"f.Nullable({kind})", f"{annotation} | None"
        return kind, annotation

    def _tags(
        self, alternatives: list[dict[str, Any]], discriminator: dict[str, Any] | None, where: str
    ) -> tuple[str, list[str]] | None:
        """A `discriminator` over $refs to public types: (property, tag value of each alternative), so the
        union dispatches on the tag (f.Tagged) instead of trying each alternative in turn."""
        if not discriminator or "propertyName" not in discriminator:
            return None
        prop = discriminator["propertyName"]
        by_target = {ref.removeprefix(_REF): tag for tag, ref in discriminator.get("mapping", {}).items()}
        values: list[str] = []
        for alt in alternatives:
            if alt.get("type") == "null":
                continue
            target = alt.get("$ref", "").removeprefix(_REF)
            if target not in self.public:
                return None
            tag = by_target.get(target)
            if tag is None:
                tag = self.schemas[target].get("properties", {}).get(prop, {}).get("const")
            if not isinstance(tag, str):
                raise SpecError(f"{where}: no {prop!r} tag for {target} (discriminator mapping or const)")
            values.append(tag)
        return prop, values

    def _is_open_enum(self, cls: str) -> bool:
        return any(
            self.public[n] == cls and "x-tinker-ext-enum-fallback" in self.schemas[n] for n in self.public
        )
