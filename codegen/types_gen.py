"""Generate the public type classes (generated/tinker_ext_raw/public) from openapi.yaml.

A component schema becomes a public type when it carries `x-tinker-ext-public`:

    x-tinker-ext-public: model          # pydantic model in tinker 0.38 -> tinker_ext._types._base.PublicModel
    x-tinker-ext-public: dataclass      # frozen dataclass in tinker 0.38 -> PublicDataclass + @dataclass(frozen=True)
    x-tinker-ext-public-name: Name      # optional: the public class name when it differs from the schema's
    x-tinker-ext-behaviour: module:Class  # optional: a hand-written mixin in tinker_ext._types.<module>

    x-tinker-ext-kw-only: true          # dataclass: keyword-only fields (as 0.38's provenance spans)
    x-tinker-ext-dataclass: {init: false, eq: false, repr: false}  # dataclass: what the behaviour writes itself
                                        # (e.g. TensorData: its own __init__, equality by identity as 0.38)
    x-tinker-ext-internal: true         # generated for the endpoint table only, not exported from tinker_ext.types

    x-tinker-ext-public: open           # an open family (0.38's OptimizerConfigBase / OptimParamsBase): a `type`
                                        # tag plus any flat fields, kept in model_extra (_types.families)
    x-tinker-ext-family: Schema         # a member of that open family: subclasses it, refuses unknown fields;
                                        # parsing the family picks the member by its `type` const
    x-tinker-ext-parsed-as: [Schema]    # (open schema) the only members an object is parsed as (default: all)
    x-tinker-ext-extra: true            # (property of an open schema) documented wire field, kept as an extra
    x-tinker-ext-keyed: {field: {keys: [k1, k2], required: true}}  # one field sent under the key its value's
                                        # type picks (OptimStepRequest.optim_params); every key is an alias
    x-tinker-ext-public: enum           # a string enum -> StrEnum (member names upper-case)
    x-tinker-ext-enum-names: {value: Name}  # member names (the upper-case names stay as aliases)
    x-tinker-ext-enum-fallback: value   # open enum: an unknown/missing value parses as this member
    x-tinker-ext-enum-fold-case: true   # parse case-insensitively
    x-tinker-ext-repr: false            # (dataclass property) left out of the repr

A `oneOf` with a `discriminator` over public types becomes a tagged union (f.Tagged: dispatch on the tag, an
unknown tag is an error naming the known ones). A property `default` that is a non-empty JSON object or list
is parsed by the field's kind for each new instance (a default sub-object, e.g. `{type: own}`).

A property with `x-tinker-ext-wire: false` is client-only (never sent, never read from an answer); one with
`x-tinker-ext-field: false` is read from and dumped to the wire but is no dataclass field: the behaviour provides
it (a property over its own storage, e.g. TensorData.data over a numpy array) and builds instances (`_build`);
`x-tinker-ext-kind: module:Class` checks it with a hand-written field kind of tinker_ext._types.<module> (e.g.
token ids: copied without a per-item loop). A required property with a spec `default` (a `type` discriminator) is
optional for the public type. `x-tinker-ext-default: <value>` gives a field the spec requires a client-side default
(the public type then tolerates its absence, as 0.38 does). Numbers of dataclass types are checked but kept as
given (0.38's dataclasses do no conversion); those of model types become floats (pydantic's `float`). Every field's
kind (how it is checked and dumped) comes from its schema, so a new property, schema or enum value reaches the
public types by regenerating; nothing is hand-edited. `render(spec)` is pure: it returns {file name: source}
(unformatted); codegen/generate.py writes and formats it.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

HEADER = (
    "# GENERATED from openapi.yaml by codegen/types_gen.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (x-tinker-ext-* extensions) or tinker_ext/_types and run `nox -s codegen`.\n"
)
KINDS = {"model": "PublicModel", "dataclass": "PublicDataclass", "open": "OpenFamily", "enum": "OpenEnum"}
_REF = "#/components/schemas/"


class SpecError(Exception):
    pass


class _Gen:
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

    def render_enum(self, name: str) -> str:
        """A string `enum` -> a StrEnum (member names upper-case, or `x-tinker-ext-enum-names`, which keep
        the upper-case names as aliases); `x-tinker-ext-enum-fallback` adds the member an unknown value
        parses as (client-side, never sent); `x-tinker-ext-enum-fold-case` parses case-insensitively."""
        schema = self.schemas[name]
        values = [v for v in schema.get("enum", []) if v is not None]
        if schema.get("type") != "string" or not values or not all(isinstance(v, str) for v in values):
            raise SpecError(f"{name}: x-tinker-ext-public: enum needs a string schema with an `enum`")
        fallback = schema.get("x-tinker-ext-enum-fallback")
        if fallback is not None and fallback not in values:
            values.append(fallback)
        names: dict[str, str] = schema.get("x-tinker-ext-enum-names", {})
        doc = " ".join((schema.get("description") or f"The {name} enum of openapi.yaml.").split())
        lines = [f"class {self.public[name]}(OpenEnum, enum.StrEnum):", f'    """{doc}"""', ""]
        upper = {v: re.sub(r"\W", "_", v).upper() for v in values}
        lines += [f"    {names.get(v, upper[v])} = {v!r}" for v in values]
        lines += [f"    {upper[v]} = {v!r}" for v in values if names.get(v, upper[v]) != upper[v]]
        if fallback is not None:
            lines.append(f"    __tinker_fallback__ = {fallback!r}")
        if schema.get("x-tinker-ext-enum-fold-case"):
            lines.append("    __tinker_fold_case__ = True")
        return "\n".join(lines) + "\n"

    def _keyed(self, name: str, props: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """`x-tinker-ext-keyed: {field: {keys: [k1, k2], ...}}`: the properties k1, k2 become one field
        (placed where k1 is) written under the key its value's type picks (behaviour: KeyedFields)."""
        keyed: dict[str, Any] = self.schemas[name].get("x-tinker-ext-keyed", {})
        groups: dict[str, list[str]] = {}
        out: dict[str, Any] = {}
        for field, options in keyed.items():
            keys = options.get("keys", [])
            if len(keys) < 2 or any(k not in props for k in keys):
                raise SpecError(
                    f"{name}.{field}: x-tinker-ext-keyed needs two or more `keys` among the properties"
                )
            groups[field] = keys
        first = {keys[0]: field for field, keys in groups.items()}
        merged = {k for keys in groups.values() for k in keys}
        for prop, pschema in props.items():
            if prop in first:
                field = first[prop]
                out[field] = {
                    "oneOf": [props[k] for k in groups[field]],
                    "description": keyed[field].get("description", ""),
                    "x-tinker-ext-keys": groups[field],
                }
            elif prop not in merged:
                out[prop] = pschema
        return out, groups

    # ----- one public schema -> class source

    def render_class(self, name: str) -> tuple[str, set[str]]:
        schema = self.schemas[name]
        cls = self.public[name]
        kind = schema["x-tinker-ext-public"]
        required = set(schema.get("required", []))
        props: dict[str, Any] = schema.get("properties", {})
        if any(p.get("x-tinker-ext-extra") for p in props.values()):
            if kind != "open":
                raise SpecError(
                    f"{name}: x-tinker-ext-extra (a documented extra field) needs an `open` schema"
                )
            # documented for the wire, but kept among the family's extra fields (model_extra), as 0.38
            props = {p: ps for p, ps in props.items() if not ps.get("x-tinker-ext-extra")}
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
        family = schema.get("x-tinker-ext-family")
        if family is not None:
            if self.schemas.get(family, {}).get("x-tinker-ext-public") != "open":
                raise SpecError(f"{name}: x-tinker-ext-family must name an `open` schema, got {family!r}")
            bases = [self.public[family]]
        else:
            bases = [KINDS[kind]]
        props, keyed = self._keyed(name, props)
        if keyed:
            bases.insert(0, "KeyedFields")
            keyed_options = schema["x-tinker-ext-keyed"]
            required |= {field for field in keyed if keyed_options[field].get("required")}
        if behaviour:
            module, _, mixin = behaviour.partition(":")
            if not mixin:
                raise SpecError(f"{name}: x-tinker-ext-behaviour must be 'module:Class', got {behaviour!r}")
            imports.add(f"from tinker_ext._types.{module} import {mixin}")
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
        keyed_rows: list[str] = []
        annotation_of: dict[str, str] = {}
        optional_in_python: set[str] = set()
        for prop in ordered:
            if keyword.iskeyword(prop) or not prop.isidentifier():
                raise SpecError(f"{name}.{prop}: not a Python identifier")
            pschema = props[prop]
            fkind, annotation = self.field_type(pschema, f"{name}.{prop}")
            if "x-tinker-ext-keys" in pschema:
                optional_in_python.add(prop)  # any one of its names may be given
                alternatives = [self.field_type(alt, f"{name}.{prop}") for alt in pschema["oneOf"]]
                pairs = ", ".join(
                    f"({k!r}, {kk})"
                    for k, (kk, _) in zip(pschema["x-tinker-ext-keys"], alternatives, strict=True)
                )
                keyed_rows.append(f"        {prop!r}: ({pairs},),")
            custom = pschema.get("x-tinker-ext-kind")
            if custom:
                module, _, kind_cls = custom.partition(":")
                imports.add(f"from tinker_ext._types.{module} import {kind_cls}")
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
                if isinstance(default, dict | list) or (fkind.startswith("EnumOf(") and default is not None):
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
            if pschema.get("x-tinker-ext-repr") is False:
                default_src = self._no_repr(default_src)
            annotation_of[prop] = annotation
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
        if kind == "dataclass":
            rows, table = self._client_fields(name, schema, ordered, rows, table)
        lines: list[str] = []
        if kind == "dataclass":
            extra = "".join(f", {key}={bool(value)}" for key, value in sorted(options.items()))
            lines.append(f"@dataclasses.dataclass(frozen=True{', kw_only=True' if kw_only else ''}{extra})")
        lines.append(f"class {cls}({', '.join(bases)}):")
        doc = " ".join((schema.get("description") or f"The {name} object of openapi.yaml.").split())
        lines.append(f'    """{doc}"""')
        lines.append("")
        lines.extend(rows)
        if kind == "open":
            lines.append("")
            lines.append(
                "    __tinker_open__ = True  # fields the schema does not name are kept (model_extra)"
            )
            parsed_as = schema.get("x-tinker-ext-parsed-as")
            if parsed_as is not None:
                names = tuple(self.public[n] for n in parsed_as)
                lines.append(
                    f"    __tinker_parsed_as__ = {names!r}  # the members an answer's object may become"
                )
        if kind in ("model", "open") and props:
            lines.append("")
            lines.append("    if TYPE_CHECKING:")
            sig = []
            for row, prop in zip(rows, ordered, strict=True):
                annotation = row.split(": ", 1)[1]
                sig.append(f"{prop}: {annotation}" + (" = ..." if prop in optional_in_python else ""))
            for field, keys in keyed.items():
                sig += [f"{k}: {annotation_of[field]} = ..." for k in keys]
            if kind == "open":
                sig.append("**extra: Any")
            lines.append(f"        def __init__(self, *, {', '.join(sig)}) -> None: ...")
        if keyed_rows:
            lines.append("")
            lines.append(
                "    __tinker_keyed__ = {  # field -> (wire key, kind) pairs: the first that fits is sent"
            )
            lines.extend(f"    {row}" for row in keyed_rows)
            lines.append("    }")
        lines.append("")
        lines.append("    __tinker_fields__ = (")
        lines.extend(table)
        lines.append("    )")
        return "\n".join(lines) + "\n", imports

    def _client_fields(
        self, name: str, schema: dict[str, Any], ordered: list[str], rows: list[str], table: list[str]
    ) -> tuple[list[str], list[str]]:
        """`x-tinker-ext-client-fields` (dataclass fields that never go on the wire, e.g. 0.38's numpy
        arrays: {name: {required, annotation, repr, description}}) added to the rows and the field table;
        `x-tinker-ext-field-order` gives the dataclass field order (0.38's positional order)."""
        client: dict[str, Any] = schema.get("x-tinker-ext-client-fields", {})
        if not client and "x-tinker-ext-field-order" not in schema:
            return rows, table
        row_of = {row.split(":", 1)[0].strip(): row for row in rows}
        entry_of = dict(zip([p for p in ordered], table, strict=True))
        required_rows, optional_rows = [], []
        for field, options in client.items():
            if not field.isidentifier() or keyword.iskeyword(field) or field in entry_of:
                raise SpecError(f"{name}: client field {field!r} is no identifier or clashes with a property")
            annotation = options.get("annotation", "Any")
            desc = " ".join(str(options.get("description", "")).split())
            entry_of[field] = f"        f.Field({field!r}, f.Any_(), wire=False, description={desc!r}),"
            if options.get("required"):
                row_of[field] = f"    {field}: {annotation}" + (
                    " = dataclasses.field(repr=False)" if options.get("repr") is False else ""
                )
                required_rows.append(field)
            else:
                meta = ', metadata={"wire": False}'
                shown = ", repr=False" if options.get("repr") is False else ""
                row_of[field] = f"    {field}: {annotation} = dataclasses.field(default=None{shown}{meta})"
                optional_rows.append(field)
        dataclass_fields = [r for r in row_of if r not in client]
        required_wire = [f for f in dataclass_fields if "=" not in row_of[f]]
        order = schema.get("x-tinker-ext-field-order") or (
            required_wire
            + required_rows
            + [f for f in dataclass_fields if f not in required_wire]
            + optional_rows
        )
        if sorted(order) != sorted(row_of):
            raise SpecError(
                f"{name}: x-tinker-ext-field-order must list every dataclass field once: {sorted(row_of)}"
            )
        non_fields = [p for p in entry_of if p not in row_of]
        return [row_of[f] for f in order], [entry_of[f] for f in [*order, *non_fields]]

    @staticmethod
    def _no_repr(default_src: str | None) -> str:
        if default_src is None:
            return "dataclasses.field(repr=False)"
        if not default_src.startswith("dataclasses.field("):
            default_src = f"dataclasses.field(default={default_src})"
        return default_src[:-1] + ", repr=False)"

    @staticmethod
    def _meta(wire: bool) -> str:
        return "" if wire else ', metadata={"wire": False}'


def render(spec: dict[str, Any]) -> dict[str, str]:
    """{file name: Python source} of the package generated/tinker_ext_raw/public."""
    gen = _Gen(spec)
    classes: list[str] = []
    imports: set[str] = set()
    # enums and open families first: fields default to members, family members subclass them
    rank = {"enum": 0, "open": 1}
    for name in sorted(
        gen.public, key=lambda n: (rank.get(gen.schemas[n]["x-tinker-ext-public"], 2), gen.public[n])
    ):
        if gen.schemas[name]["x-tinker-ext-public"] == "enum":
            classes.append(gen.render_enum(name))
            continue
        source, needed = gen.render_class(name)
        classes.append(source)
        imports |= needed
    imports.add("from tinker_ext._types.pydantic_api import use_spec_json")
    names = sorted(gen.public.values())
    types_module = (
        HEADER
        + '"""The public types of tinker-ext, one class per schema marked x-tinker-ext-public in openapi.yaml."""\n\n'
        + "from __future__ import annotations\n\n"
        + "import dataclasses\nimport datetime\nimport enum\nfrom typing import TYPE_CHECKING, Any, Literal\n\n"
        + "from tinker_ext._types import _fields as f\n"
        + "from tinker_ext._types._base import PublicDataclass, PublicModel\n"
        + "from tinker_ext._types.enums import EnumOf, OpenEnum\n"
        + "from tinker_ext._types.families import KeyedFields, OpenFamily\n"
        + "".join(f"{line}\n" for line in sorted(imports))
        + "from tinker_ext_raw.openapi_spec import SPEC_JSON\n"
        + "\n__all__ = ["
        + ", ".join(repr(n) for n in names)
        + "]\n\n\n"
        + "\n\n".join(classes)
        + "\n\n# the field kinds and annotations name every class: keep the imports used when a kind goes away\n"
        + "_ = (dataclasses, datetime, enum, Any, Literal, PublicDataclass, PublicModel, EnumOf, OpenEnum, KeyedFields, OpenFamily)\n"
        + "use_spec_json(SPEC_JSON)  # model_json_schema's schemas (the behaviour does not import this package)\n"
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
