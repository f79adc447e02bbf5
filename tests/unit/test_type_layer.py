"""The public types are generated from openapi.yaml: regenerating reaches users, nothing drifts, the
generated package imports first without a cycle, and `tinker_ext`'s lazy export table is the typed one."""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import json
import runpy
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import tinker_ext
import tinker_ext.types as public_types

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "openapi.yaml"


def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def _public_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        schema.get("x-tinker-ext-public-name", name): schema
        for name, schema in spec["components"]["schemas"].items()
        if "x-tinker-ext-public" in schema and not schema.get("x-tinker-ext-internal")
    }


def _field_names(cls: type) -> list[str]:
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    return list(cls.model_fields)  # type: ignore[attr-defined]


def test_every_property_of_a_public_schema_is_a_field_of_its_public_type() -> None:
    schemas = _public_schemas(_spec())
    assert len(schemas) >= 18
    for name, schema in schemas.items():
        cls = getattr(public_types, name)  # exported where users import types
        kind = schema["x-tinker-ext-public"]
        assert dataclasses.is_dataclass(cls) == (kind == "dataclass"), name
        if kind == "enum":
            assert {m.value for m in cls} == set(schema["enum"]) | {
                schema.get("x-tinker-ext-enum-fallback")
            } - {None}, name
            continue
        fields = _field_names(cls)
        props = schema.get("properties", {})
        # keyed: the listed properties are the wire keys of one field
        keyed = {k: field for field, o in schema.get("x-tinker-ext-keyed", {}).items() for k in o["keys"]}
        missing = [
            prop
            for prop in props
            if keyed.get(prop, prop) not in fields
            # x-tinker-ext-extra: documented for the wire, kept among an open family's extra fields
            and not props[prop].get("x-tinker-ext-extra")
            # x-tinker-ext-field: false: no dataclass field, the behaviour's property over its own storage
            and not (
                props[prop].get("x-tinker-ext-field") is False
                and isinstance(getattr(cls, prop), property | functools.cached_property)
            )
        ]
        assert missing == [], f"{name}: spec properties without a field: {missing}"
        wire = [f.name for f in cls.__tinker_fields__ if f.wire]
        on_wire = {
            keyed.get(p, p)
            for p in props
            if props[p].get("x-tinker-ext-wire", True) is not False and not props[p].get("x-tinker-ext-extra")
        }
        assert on_wire == set(wire), name


def _regenerate(tmp: Path, spec: dict[str, Any]) -> Path:
    """A copy of the generated package with its public types regenerated (codegen/types_gen.py) from `spec`."""
    shutil.copytree(REPO / "generated" / "tinker_ext_raw", tmp / "tinker_ext_raw")
    for module in (REPO / "codegen").glob("types_gen*.py"):  # types_gen.py imports its siblings
        shutil.copy(module, tmp / module.name)
    render = runpy.run_path(str(tmp / "types_gen.py"))["render"]
    out = tmp / "tinker_ext_raw" / "public"
    shutil.rmtree(out)
    out.mkdir()
    for name, source in render(spec).items():
        (out / name).write_text(source, encoding="utf-8")
    endpoints = runpy.run_path(str(REPO / "codegen" / "endpoints_gen.py"))["render"]
    (tmp / "tinker_ext_raw" / "endpoints.py").write_text(endpoints(spec), encoding="utf-8")
    return tmp


def test_a_new_request_field_reaches_the_wire_by_regenerating(tmp_path: Path) -> None:
    """A field added to a request schema is sent by the client that builds that request, with no hand
    edit: the request type is generated, and the client sends what the type dumps."""
    spec = _spec()
    request = spec["components"]["schemas"]["SaveWeightsRequest"]
    request["properties"]["priority"] = {"type": "integer", "default": 3}
    root = _regenerate(tmp_path, spec)
    script = textwrap.dedent(
        """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        sys.path.insert(0, sys.argv[2])
        import tinker_ext
        from _fault_server import FakeTiming, FakeTinker

        server = FakeTinker()
        with tinker_ext.ServiceClient(
            api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
        ) as service:
            training = service.create_lora_training_client(base_model="tiny/model", rank=4)
            training.save_state("ckpt").result()
        print(json.dumps(server.bodies("/api/v1/save_weights")))
        """
    )
    unit = str(Path(__file__).resolve().parent)
    proc = subprocess.run(
        [sys.executable, "-c", script, str(root), unit],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (body,) = json.loads(proc.stdout)
    assert body["priority"] == 3 and body["path"] == "ckpt"
    # and the checked-in package does not know the field (so the body above came from regenerating)
    assert "priority" not in public_types.SaveWeightsRequest.model_fields


def test_a_new_response_field_and_enum_value_reach_the_public_type_by_regenerating(tmp_path: Path) -> None:
    spec = _spec()
    schemas = spec["components"]["schemas"]
    # What a maintainer does when the API grows: the spec only, no hand edit anywhere.
    schemas["StopReason"]["enum"].append("abort")
    response = schemas["OptimStepResponse"]
    response["properties"]["server_step"] = {"type": ["integer", "null"]}
    response["properties"]["stop_reason"] = {"$ref": "#/components/schemas/StopReason"}
    root = _regenerate(tmp_path, spec)
    script = textwrap.dedent(
        """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import tinker_ext_raw.public as generated
        import tinker_ext.types as types
        assert types.OptimStepResponse is generated.OptimStepResponse
        answer = types.OptimStepResponse.from_wire(
            {"metrics": {"loss:sum": 1.5}, "server_step": 7, "stop_reason": "abort"}
        )
        try:
            types.OptimStepResponse.from_wire({"stop_reason": "bogus"})
            closed = False
        except types.ResponseFormatError as exc:
            closed = exc.pointer == "/stop_reason"
        print(json.dumps({"step": answer.server_step, "reason": answer.stop_reason,
                          "dump": answer.model_dump(mode="json", exclude_none=True), "closed": closed}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["step"] == 7
    assert seen["reason"] == "abort"
    assert seen["dump"] == {"metrics": {"loss:sum": 1.5}, "server_step": 7, "stop_reason": "abort"}
    assert seen["closed"], "a value outside the regenerated enum must still be refused"
    # and the checked-in package does not know the field (so the assertions above came from regenerating)
    assert "server_step" not in public_types.OptimStepResponse.model_fields


def test_generated_public_types_import_first_without_pulling_in_clients_or_types() -> None:
    script = textwrap.dedent(
        """
        import sys
        import tinker_ext_raw.public as generated
        loaded = sorted(m for m in sys.modules if m.startswith("tinker_ext"))
        assert "tinker_ext.types" not in loaded, loaded
        assert not [m for m in loaded if m.endswith("_client")], loaded
        import tinker_ext
        assert tinker_ext.Checkpoint is generated.Checkpoint
        assert tinker_ext.types.Checkpoint is generated.Checkpoint
        print("ok")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_import_tinker_ext_imports_nothing_until_a_name_is_used() -> None:
    script = "import sys, tinker_ext; print(sorted(m for m in sys.modules if m.startswith('tinker_ext')))"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    # _core.httpx_cli (standard library only) defers httpx's command-line tool before anything imports httpx
    assert proc.stdout.strip() == "['tinker_ext', 'tinker_ext._core', 'tinker_ext._core.httpx_cli']"


def _type_checking_imports() -> dict[str, tuple[str, str | None]]:
    tree = ast.parse((REPO / "tinker_ext" / "__init__.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    found: dict[str, tuple[str, str | None]] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                target = (
                    (f"tinker_ext.{alias.name}", None)
                    if node.module == "tinker_ext"
                    else (node.module, alias.name)
                )
                found[alias.asname or alias.name] = target
    return found


def test_each_public_name_is_listed_once_and_resolves_to_what_the_type_checker_sees() -> None:
    """The TYPE_CHECKING block is the one list: at run time every name in it is the very object its import
    names (so mypy's view and the runtime agree), and `__all__` is exactly that list."""
    listed = _type_checking_imports()
    assert sorted(tinker_ext.__all__) == sorted([*listed, "__version__"])
    assert len(tinker_ext.__all__) == len(set(tinker_ext.__all__))
    for name, (module, attribute) in listed.items():
        expected = importlib.import_module(module)
        if attribute is not None:
            expected = getattr(expected, attribute)
        assert getattr(tinker_ext, name) is expected, name
    assert tinker_ext.Timeout is httpx.Timeout
    assert set(tinker_ext.__all__) <= set(dir(tinker_ext))
    with pytest.raises(AttributeError):
        tinker_ext.NoSuchName  # noqa: B018


def _render(schemas: dict[str, Any]) -> dict[str, str]:
    render = runpy.run_path(str(REPO / "codegen" / "types_gen.py"))["render"]
    out: dict[str, str] = render({"components": {"schemas": schemas}})
    return out


def test_dataclass_options_and_behaviour_provided_fields_are_generated() -> None:
    """x-tinker-ext-dataclass reaches the decorator; an x-tinker-ext-field: false property stays in the wire
    table (read and dumped) but is no dataclass field; both are refused where they cannot work."""
    schema: dict[str, Any] = {
        "x-tinker-ext-public": "dataclass",
        "x-tinker-ext-behaviour": "m:B",
        "x-tinker-ext-dataclass": {"init": False, "eq": False},
        "required": ["values", "kind"],
        "properties": {
            "values": {"type": "array", "items": {"type": "number"}, "x-tinker-ext-field": False},
            "kind": {"type": "string"},
        },
    }
    source = _render({"T": schema})["_types.py"]
    assert "@dataclasses.dataclass(frozen=True, eq=False, init=False)\nclass T(B, PublicDataclass):" in source
    body = source.split("class T(B, PublicDataclass):", 1)[1]
    assert "    kind: str\n" in body and "    values:" not in body
    assert "f.Field('values', f.List(f.Number()), required=True)" in body
    for bad in (
        {**schema, "x-tinker-ext-dataclass": {"order": True}},
        {**schema, "x-tinker-ext-behaviour": None},
        {**schema, "x-tinker-ext-public": "model"},
    ):
        bad = {k: v for k, v in bad.items() if v is not None}
        with pytest.raises(Exception, match=r"x-tinker-ext-(dataclass|field)"):
            _render({"T": bad})


def test_an_integer_enum_accepts_its_ints_only() -> None:
    # openapi `{type: integer, enum: [0, 1, 2]}` (CustomLossInput.rank): ints in, bools and other ints out
    import tinker_ext.types as t

    assert t.CustomLossInput(name="w", rank=2).rank == 2
    assert t.CustomLossInput.from_wire({"name": "w", "rank": 0}).model_dump() == {"name": "w", "rank": 0}
    for bad in (True, 3, "1"):
        with pytest.raises(tinker_ext.InvalidInputError, match="one of 0, 1, 2"):
            t.CustomLossInput(name="w", rank=bad)
    with pytest.raises(t.ResponseFormatError):
        t.CustomLossInput.from_wire({"name": "w", "rank": False})
    # an integer const (CustomLossGraph.format: 1) likewise
    assert t.CustomLossGraph(nodes=[], format=1).format == 1
    with pytest.raises(tinker_ext.InvalidInputError):
        t.CustomLossGraph(nodes=[], format=True)
