"""Public schema -> class source, for codegen/types_gen.py: a StrEnum for an `enum` schema; for a model,
dataclass or open family the class header (bases, behaviour mixin, dataclass options), its annotated fields,
the `TYPE_CHECKING` constructor signature and the `__tinker_fields__` / `__tinker_keyed__` tables the
behaviour reads. The field kinds come from types_gen_kinds.FieldKinds."""

from __future__ import annotations

import dataclasses
import keyword
import re
from typing import Any

from types_gen_kinds import KINDS, FieldKinds, SpecError


@dataclasses.dataclass
class _Plan:
    """What one public schema's class is made of, decided before its fields are rendered."""

    name: str
    schema: dict[str, Any]
    kind: str
    props: dict[str, Any]  # the class's properties, keyed groups merged into one field each
    required: set[str]  # required for the public type (no client-side default)
    ordered: list[str]  # field order: dataclasses put the required fields first
    bases: list[str]
    keyed: dict[str, list[str]]  # keyed field -> its wire keys
    kw_only: bool
    options: dict[str, Any]  # x-tinker-ext-dataclass
    imports: set[str]


@dataclasses.dataclass
class _Fields:
    """The rendered fields of one class."""

    rows: list[str] = dataclasses.field(default_factory=list)  # annotated class-body lines
    table: list[str] = dataclasses.field(default_factory=list)  # __tinker_fields__ entries
    keyed_rows: list[str] = dataclasses.field(default_factory=list)  # __tinker_keyed__ entries
    annotation_of: dict[str, str] = dataclasses.field(default_factory=dict)
    optional_in_python: set[str] = dataclasses.field(default_factory=set)


class ClassRenderer(FieldKinds):
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

    # ----- one public schema -> class source

    def render_class(self, name: str) -> tuple[str, set[str]]:
        plan = self._plan(name)
        fields = _Fields()
        for prop in plan.ordered:
            self._field(plan, prop, fields)
        if plan.kind == "dataclass":
            fields.rows, fields.table = self._client_fields(
                name, plan.schema, plan.ordered, fields.rows, fields.table
            )
        return self._class_source(plan, fields), plan.imports

    def _plan(self, name: str) -> _Plan:
        schema = self.schemas[name]
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
        return _Plan(name, schema, kind, props, required, ordered, bases, keyed, kw_only, options, imports)

    def _field(self, plan: _Plan, prop: str, fields: _Fields) -> None:
        """One property: its `__tinker_fields__` entry, its class-body row (unless the behaviour provides
        the attribute) and, for a keyed field, its `__tinker_keyed__` entry."""
        name = plan.name
        if keyword.iskeyword(prop) or not prop.isidentifier():
            raise SpecError(f"{name}.{prop}: not a Python identifier")
        pschema = plan.props[prop]
        fkind, annotation = self.field_type(pschema, f"{name}.{prop}")
        if "x-tinker-ext-keys" in pschema:
            fields.optional_in_python.add(prop)  # any one of its names may be given
            alternatives = [self.field_type(alt, f"{name}.{prop}") for alt in pschema["oneOf"]]
            pairs = ", ".join(
                f"({k!r}, {kk})"
                for k, (kk, _) in zip(pschema["x-tinker-ext-keys"], alternatives, strict=True)
            )
            fields.keyed_rows.append(f"        {prop!r}: ({pairs},),")
        custom = pschema.get("x-tinker-ext-kind")
        if custom:
            module, _, kind_cls = custom.partition(":")
            plan.imports.add(f"from tinker_ext._types.{module} import {kind_cls}")
            fkind = f"{kind_cls}()"
        args = [repr(prop), fkind]
        wire = pschema.get("x-tinker-ext-wire", True) is not False
        default_src = None
        if prop in plan.required:
            args.append("required=True")
        else:
            fields.optional_in_python.add(prop)
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
                    f"dataclasses.field(default={default!r}{self._meta(wire)})" if not wire else repr(default)
                )
        if not wire:
            args.append("wire=False")
        if pschema.get("x-tinker-ext-repr") is False:
            default_src = self._no_repr(default_src)
        fields.annotation_of[prop] = annotation
        desc = pschema.get("description")
        if desc:
            args.append(f"description={' '.join(desc.split())!r}")
        fields.table.append(f"        f.Field({', '.join(args)}),")
        if pschema.get("x-tinker-ext-field") is False:
            return  # the behaviour provides the attribute
        if plan.kind == "dataclass":
            fields.rows.append(
                f"    {prop}: {annotation}" + ("" if default_src is None else f" = {default_src}")
            )
        else:
            fields.rows.append(f"    {prop}: {annotation}")

    def _class_source(self, plan: _Plan, fields: _Fields) -> str:
        schema, kind, rows = plan.schema, plan.kind, fields.rows
        lines: list[str] = []
        if kind == "dataclass":
            extra = "".join(f", {key}={bool(value)}" for key, value in sorted(plan.options.items()))
            lines.append(
                f"@dataclasses.dataclass(frozen=True{', kw_only=True' if plan.kw_only else ''}{extra})"
            )
        lines.append(f"class {self.public[plan.name]}({', '.join(plan.bases)}):")
        doc = " ".join((schema.get("description") or f"The {plan.name} object of openapi.yaml.").split())
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
        if kind in ("model", "open") and plan.props:
            lines.append("")
            lines.append("    if TYPE_CHECKING:")
            sig = []
            for row, prop in zip(rows, plan.ordered, strict=True):
                annotation = row.split(": ", 1)[1]
                sig.append(f"{prop}: {annotation}" + (" = ..." if prop in fields.optional_in_python else ""))
            for field, keys in plan.keyed.items():
                sig += [f"{k}: {fields.annotation_of[field]} = ..." for k in keys]
            if kind == "open":
                sig.append("**extra: Any")
            lines.append(f"        def __init__(self, *, {', '.join(sig)}) -> None: ...")
        if fields.keyed_rows:
            lines.append("")
            lines.append(
                "    __tinker_keyed__ = {  # field -> (wire key, kind) pairs: the first that fits is sent"
            )
            lines.extend(f"    {row}" for row in fields.keyed_rows)
            lines.append("    }")
        lines.append("")
        lines.append("    __tinker_fields__ = (")
        lines.extend(fields.table)
        lines.append("    )")
        return "\n".join(lines) + "\n"

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
