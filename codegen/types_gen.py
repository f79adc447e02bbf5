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
(unformatted); codegen/generate.py writes and formats it. The field kinds are mapped in types_gen_kinds.py, the
classes rendered in types_gen_classes.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# codegen/ is a directory of scripts, not a package: find the sibling modules next to this file, however it
# is run (generate.py imports it, the tests run it with runpy).
sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    from types_gen_classes import ClassRenderer
finally:
    sys.path.pop(0)

HEADER = (
    "# GENERATED from openapi.yaml by codegen/types_gen.py. DO NOT EDIT.\n"
    "# Change openapi.yaml (x-tinker-ext-* extensions) or tinker_ext/_types and run `nox -s codegen`.\n"
)


def render(spec: dict[str, Any]) -> dict[str, str]:
    """{file name: Python source} of the package generated/tinker_ext_raw/public."""
    gen = ClassRenderer(spec)
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
