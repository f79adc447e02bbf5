"""Every tinker_ext subpackage imports only from lower floors (issue 19 item 4; docs/ARCHITECTURE.md,
"tinker_ext modules, floor by floor"): module-level and function-local imports alike, relative imports
resolved; imports under `if TYPE_CHECKING:` are annotations only and do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tinker_ext

PACKAGE_DIR = Path(tinker_ext.__file__).parent

# Floor of each unit (a subpackage or a top-level module), ground first. A unit may import itself and any
# unit on a lower floor; the same floor in another unit, or a higher one, is a break.
FLOORS: dict[str, int] = {
    "tinker_ext._core": 0,
    # a public face, but a pure library on `_core` alone (no client, no type of ours): it sits right above
    # the ground so that `_training.custom_loss` may build on it
    "tinker_ext.regularizers": 1,
    "tinker_ext._types": 2,
    # generated: the public classes are built on `_types` and re-exported by `types`
    "tinker_ext_raw.public": 3,
    "tinker_ext.types": 4,
    # generated: the endpoint table, used by `_wire` and above (it is built on `_wire/endpoint.py`, a
    # module of the generated package's own, which this test does not read)
    "tinker_ext_raw.endpoints": 5,
    # generated data that imports nothing of ours: the protobuf messages and the embedded spec text
    "tinker_ext_raw.proto": 5,
    "tinker_ext_raw.openapi_spec": 5,
    # metrics, spans, raw responses, wait reports: hooked into `_wire` and `_session`, built on nothing of ours
    "tinker_ext._observe": 5,
    "tinker_ext._wire": 6,
    "tinker_ext._session": 7,
    "tinker_ext._tokenizers": 8,
    "tinker_ext._sampling": 9,  # SamplingClient.get_tokenizer loads through `_tokenizers`
    "tinker_ext._training": 10,
    "tinker_ext._rest": 10,
    "tinker_ext._service": 11,
    "tinker_ext._scale": 11,  # sampling from many processes (Ray): on the sampling client and session
    # the public faces: the package itself (`import tinker_ext`), lib, contract, auth, drop_in
    "tinker_ext": 12,
    "tinker_ext.lib": 12,
    "tinker_ext.contract": 12,
    "tinker_ext.auth": 12,
    "tinker_ext.drop_in": 12,
    "tinker_ext.checkpoints": 12,
    # the in-process test server: the server side of the wire only (it imports `_core`-free code of its
    # own and the generated protobuf messages, never a client, so it tests the clients independently)
    "tinker_ext.testing": 12,
    "tinker_ext.ray": 12,  # the optional Ray face over `_scale`
    # `doctor()`: a public face over the contract probe (`tinker_ext.doctor` is exported lazily from the top)
    "tinker_ext._doctor": 13,
    "tinker_ext.cli": 14,  # the command line: `tinker-ext contract` runs the contract library
}


def unit_of(name: str) -> str | None:
    """The unit of the floor table that module `name` belongs to (None: not ours)."""
    if name == "tinker_ext":
        return name
    if not name.startswith(("tinker_ext.", "tinker_ext_raw")):
        return None
    units = [u for u in FLOORS if u != "tinker_ext" and (name == u or name.startswith(u + "."))]
    # ours but not in the table (a new subpackage, other generated code): named by its first two parts
    return max(units, key=len) if units else ".".join(name.split(".")[:2])


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import `source` makes when run, function-local ones
    included; `from pkg import name` counts as `pkg.name` when that is a unit of the table."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if sub in FLOORS else base))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def module_name(path: Path) -> tuple[str, str]:
    """(module name, package its relative imports resolve against) of a file under tinker_ext/."""
    parts = ("tinker_ext", *path.relative_to(PACKAGE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def floor_breaks(path: Path, display: str) -> list[str]:
    name, package = module_name(path)
    own = unit_of(name)
    breaks: list[str] = []
    for line, imported in runtime_imports(path.read_text(), package):
        target = unit_of(imported)
        if target is None or target == own:
            continue
        if own not in FLOORS or target not in FLOORS:
            breaks.append(
                f"{display}:{line}: {imported} (unit {own if own not in FLOORS else target} has no floor)"
            )
        elif FLOORS[target] >= FLOORS[own]:
            breaks.append(
                f"{display}:{line}: {own} (floor {FLOORS[own]}) imports {imported} (floor {FLOORS[target]})"
            )
    return breaks


def test_every_module_imports_only_from_lower_floors() -> None:
    modules = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(modules) > 100  # the package is where we think it is
    breaks = [b for path in modules for b in floor_breaks(path, str(path.relative_to(PACKAGE_DIR.parent)))]
    assert breaks == []


def test_every_unit_of_the_package_has_a_floor() -> None:
    units = {unit_of(module_name(path)[0]) for path in PACKAGE_DIR.rglob("*.py")}
    assert units <= set(FLOORS)


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        # function-local, relative and module-level imports are read; TYPE_CHECKING ones are not
        (
            "tinker_ext._core",
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from tinker_ext.types import Datum\n"
            "import httpx\n"
            "def f():\n    from ..types.checkpoint_path import ParsedCheckpointTinkerPath\n"
            "class C:\n    def g(self):\n        import tinker_ext\n",
            [(1, "typing"), (4, "httpx"), (6, "tinker_ext.types.checkpoint_path"), (9, "tinker_ext")],
        ),
        # `from pkg import unit` is the unit; `from . import module` within a unit stays in it
        (
            "tinker_ext._session",
            "from tinker_ext import _training\nfrom . import futures\nfrom tinker_ext_raw.public import X\n",
            [(1, "tinker_ext._training"), (2, "tinker_ext._session"), (3, "tinker_ext_raw.public")],
        ),
    ],
)
def test_the_import_reader(package: str, source: str, expected: list[tuple[int, str]]) -> None:
    assert runtime_imports(source, package) == expected


def test_an_upward_or_sideways_import_is_named_with_file_and_line(tmp_path: Path) -> None:
    core = tmp_path / "tinker_ext" / "_core"
    core.mkdir(parents=True)
    console = core / "console.py"
    console.write_text("import os\n\ndef url():\n    from tinker_ext.types.checkpoint_path import P\n")
    global PACKAGE_DIR
    saved, PACKAGE_DIR = PACKAGE_DIR, tmp_path / "tinker_ext"
    try:
        breaks = floor_breaks(console, "tinker_ext/_core/console.py")
    finally:
        PACKAGE_DIR = saved
    assert breaks == [
        "tinker_ext/_core/console.py:4: tinker_ext._core (floor 0) imports tinker_ext.types.checkpoint_path (floor 4)"
    ]
    assert unit_of("tinker_ext._sampling.handle") == "tinker_ext._sampling"
    assert unit_of("tinker_ext._new_floor.module") == "tinker_ext._new_floor"  # not in the table: a break
    assert unit_of("tinker_ext_raw.models.datum") == "tinker_ext_raw.models"
    assert unit_of("httpx") is None
