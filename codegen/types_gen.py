"""Generate the public type classes (generated/tinker_ext_raw/public) from openapi.yaml.

A component schema becomes a public type when it carries `x-tinker-ext-public`:

    x-tinker-ext-public: model          # pydantic model in tinker 0.38 -> tinker_ext._behaviour._base.PublicModel
    x-tinker-ext-public: dataclass      # frozen dataclass in tinker 0.38 -> PublicDataclass + @dataclass(frozen=True)
    x-tinker-ext-public-name: Name      # optional: the public class name when it differs from the schema's
    x-tinker-ext-behaviour: module:Class  # optional: a hand-written mixin in tinker_ext._behaviour.<module>

    x-tinker-ext-kw-only: true          # dataclass: keyword-only fields (as 0.38's provenance spans)
    x-tinker-ext-dataclass: {init: false, eq: false, repr: false}  # dataclass: what the behaviour writes itself
                                        # (e.g. TensorData: its own __init__, equality by identity as 0.38)
    x-tinker-ext-handwritten: module:Class  # not generated (yet): a $ref to it uses that hand-written class
    x-tinker-ext-internal: true         # generated for the endpoint table only, not exported from tinker_ext.types

A `oneOf` with a `discriminator` over public types becomes a tagged union (f.Tagged: dispatch on the tag, an
unknown tag is an error naming the known ones). A property `default` that is a non-empty JSON object or list
is parsed by the field's kind for each new instance (a default sub-object, e.g. `{type: own}`).

A property with `x-tinker-ext-wire: false` is client-only (never sent, never read from an answer); one with
`x-tinker-ext-field: false` is read from and dumped to the wire but is no dataclass field: the behaviour
provides it (a property over its own storage, e.g. TensorData.data over a numpy array) and builds instances
(`_build`);
`x-tinker-ext-kind: module:Class` checks it with a hand-written field kind of tinker_ext._behaviour.<module>
(e.g. token ids: copied without a per-item loop). A required property with a spec `default` (a `type`
discriminator) is optional for the public type. `x-tinker-ext-default: <value>` gives a field the spec requires a client-side default (the public type then
tolerates its absence, as 0.38 does). Numbers of dataclass types are checked but kept as given (0.38's
dataclasses do no conversion); those of model types become floats (pydantic's `float`).
Every field's kind (how it is checked and dumped) comes from its schema, so a new property, schema or enum
value reaches the public types by regenerating; nothing is hand-edited. `render(spec)` is pure: it returns
{file name: source} (unformatted); codegen/generate.py writes and formats it.
"""

from __future__ import annotations

import keyword
from typing import Any

HEADER = (
    "# GENERATED from openapi.yaml by codegen/types_gen.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (x-tinker-ext-* extensions) or tinker_ext/_behaviour and run `nox -s codegen`.\n"
)
KINDS = {"model": "PublicModel", "dataclass": "PublicDataclass"}
_REF = "#/components/schemas/"


class SpecError(Exception):
    pass


class _Gen:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.public: dict[str, str] = {}  # schema name -> class name
        self.handwritten: dict[str, tuple[str, str]] = {}  # schema name -> (module, class)
        self.type_imports: set[str] = set()
        self.exact_numbers = False  # set while rendering a dataclass
        for name, schema in self.schemas.items():
            external = schema.get("x-tinker-ext-handwritten")
            if external:
                module, _, cls = external.partition(":")
                self.handwritten[name] = (module, cls)
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
                return f"f.Ref(lambda: {cls})", cls
            if target in self.handwritten:
                module, cls = self.handwritten[target]
                self.type_imports.add(f"from {module} import {cls}")
                return f"f.Ref(lambda: f.load({module!r}, {cls!r}))", cls
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

    # ----- one public schema -> class source

    def render_class(self, name: str) -> tuple[str, set[str]]:
        schema = self.schemas[name]
        cls = self.public[name]
        kind = schema["x-tinker-ext-public"]
        required = set(schema.get("required", []))
        props: dict[str, Any] = schema.get("properties", {})
        behaviour = schema.get("x-tinker-ext-behaviour")
        imports: set[str] = set()
        self.exact_numbers = kind == "dataclass"
        kw_only = kind == "dataclass" and schema.get("x-tinker-ext-kw-only", False) is True
        options = schema.get("x-tinker-ext-dataclass", {})
        if options and (kind != "dataclass" or set(options) - {"init", "eq", "repr"}):
            raise SpecError(
                f"{name}: x-tinker-ext-dataclass takes init/eq/repr of a dataclass, got {options!r}"
            )
        if any(p.get("x-tinker-ext-field") is False for p in props.values()) and (
            kind != "dataclass" or not behaviour
        ):
            raise SpecError(
                f"{name}: x-tinker-ext-field: false needs a dataclass with a behaviour that provides it"
            )
        bases = [KINDS[kind]]
        if behaviour:
            module, _, mixin = behaviour.partition(":")
            if not mixin:
                raise SpecError(f"{name}: x-tinker-ext-behaviour must be 'module:Class', got {behaviour!r}")
            imports.add(f"from tinker_ext._behaviour.{module} import {mixin}")
            bases.insert(0, mixin)
        # a field the spec requires but that has a client-side default is optional for the public type
        required = {
            p
            for p in required
            if "x-tinker-ext-default" not in props.get(p, {}) and "default" not in props.get(p, {})
        }
        # dataclasses need required fields first; the order within each group is the spec's
        ordered = list(props)
        if kind == "dataclass" and not kw_only:
            ordered = [p for p in props if p in required] + [p for p in props if p not in required]
        rows: list[str] = []
        table: list[str] = []
        optional_in_python: set[str] = set()
        for prop in ordered:
            if keyword.iskeyword(prop) or not prop.isidentifier():
                raise SpecError(f"{name}.{prop}: not a Python identifier")
            pschema = props[prop]
            fkind, annotation = self.field_type(pschema, f"{name}.{prop}")
            custom = pschema.get("x-tinker-ext-kind")
            if custom:
                module, _, kind_cls = custom.partition(":")
                imports.add(f"from tinker_ext._behaviour.{module} import {kind_cls}")
                fkind = f"{kind_cls}()"
            args = [repr(prop), fkind]
            wire = pschema.get("x-tinker-ext-wire", True) is not False
            is_required = prop in required
            default_src = None
            if is_required:
                args.append("required=True")
            else:
                optional_in_python.add(prop)
                default = pschema.get("x-tinker-ext-default", pschema.get("default"))
                if isinstance(default, dict | list):
                    # an empty container, or a JSON value the field's kind parses (an object of a public
                    # type, e.g. `owner` = {"type": "own"}): a new value per instance
                    factory = type(default).__name__ if not default else f"f.parsed({fkind}, {default!r})"
                    args.append(f"factory={factory}")
                    default_src = f"dataclasses.field(default_factory={factory}{self._meta(wire)})"
                else:
                    args.append(f"default={default!r}")
                    if default is None and not fkind.startswith("f.Nullable(") and fkind != "f.Any_()":
                        fkind = f"f.Nullable({fkind})"
                        annotation = annotation if annotation.endswith("| None") else f"{annotation} | None"
                        args[1] = fkind
                    default_src = (
                        f"dataclasses.field(default={default!r}{self._meta(wire)})"
                        if not wire
                        else repr(default)
                    )
            if not wire:
                args.append("wire=False")
            desc = pschema.get("description")
            if desc:
                args.append(f"description={' '.join(desc.split())!r}")
            table.append(f"        f.Field({', '.join(args)}),")
            if pschema.get("x-tinker-ext-field") is False:
                continue  # the behaviour provides the attribute
            if kind == "dataclass":
                rows.append(
                    f"    {prop}: {annotation}" + ("" if default_src is None else f" = {default_src}")
                )
            else:
                rows.append(f"    {prop}: {annotation}")
        lines: list[str] = []
        if kind == "dataclass":
            extra = "".join(f", {key}={bool(value)}" for key, value in sorted(options.items()))
            lines.append(f"@dataclasses.dataclass(frozen=True{', kw_only=True' if kw_only else ''}{extra})")
        lines.append(f"class {cls}({', '.join(bases)}):")
        doc = " ".join((schema.get("description") or f"The {name} object of openapi.yaml.").split())
        lines.append(f'    """{doc}"""')
        lines.append("")
        lines.extend(rows)
        if kind == "model" and props:
            lines.append("")
            lines.append("    if TYPE_CHECKING:")
            sig = []
            for row, prop in zip(rows, ordered, strict=True):
                annotation = row.split(": ", 1)[1]
                sig.append(f"{prop}: {annotation}" + (" = ..." if prop in optional_in_python else ""))
            lines.append(f"        def __init__(self, *, {', '.join(sig)}) -> None: ...")
        lines.append("")
        lines.append("    __tinker_fields__ = (")
        lines.extend(table)
        lines.append("    )")
        return "\n".join(lines) + "\n", imports

    @staticmethod
    def _meta(wire: bool) -> str:
        return "" if wire else ', metadata={"wire": False}'


def render(spec: dict[str, Any]) -> dict[str, str]:
    """{file name: Python source} of the package generated/tinker_ext_raw/public."""
    gen = _Gen(spec)
    classes: list[str] = []
    imports: set[str] = set()
    for name in sorted(gen.public, key=lambda n: gen.public[n]):
        source, needed = gen.render_class(name)
        classes.append(source)
        imports |= needed
    type_only = "".join(f"    {line}\n" for line in sorted(gen.type_imports))
    names = sorted(gen.public.values())
    types_module = (
        HEADER
        + '"""The public types of tinker-ext, one class per schema marked x-tinker-ext-public in openapi.yaml."""\n\n'
        + "from __future__ import annotations\n\n"
        + "import dataclasses\nimport datetime\nfrom typing import TYPE_CHECKING, Any, Literal\n\n"
        + "from tinker_ext._behaviour import _fields as f\n"
        + "from tinker_ext._behaviour._base import PublicDataclass, PublicModel\n"
        + "".join(f"{line}\n" for line in sorted(imports))
        + (
            f"\nif TYPE_CHECKING:  # hand-written classes some fields hold (loaded at run time on first use)\n{type_only}"
            if type_only
            else ""
        )
        + "\n__all__ = ["
        + ", ".join(repr(n) for n in names)
        + "]\n\n\n"
        + "\n\n".join(classes)
        + "\n\n# the field kinds and annotations name every class: keep the imports used when a kind goes away\n"
        + "_ = (dataclasses, datetime, Any, Literal, PublicDataclass, PublicModel)\n"
    )
    init_module = (
        HEADER
        + '"""Public types generated from openapi.yaml (import them from `tinker_ext` / `tinker_ext.types`)."""\n\n'
        + "from ._types import (\n"
        + "".join(f"    {n},\n" for n in names)
        + ")\n\n__all__ = [\n"
        + "".join(f"    {n!r},\n" for n in names)
        + "]\n"
    )
    return {"__init__.py": init_module, "_types.py": types_module}
