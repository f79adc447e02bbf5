"""tinker_ext._types depends downward only (issue 19 item 4): the mixins of the generated public types
import nothing from `tinker_ext.types`, the generated package or the clients, at module level or inside a
function; imports under `if TYPE_CHECKING:` (annotations only) are allowed."""

from __future__ import annotations

import ast
from pathlib import Path

import tinker_ext

BEHAVIOUR_DIR = Path(tinker_ext.__file__).parent / "_types"
# the modules below the behaviour layer that it may use (anything else of tinker_ext is above it)
ALLOWED_TINKER_EXT = ("tinker_ext._types", "tinker_ext._core.exceptions", "tinker_ext._core.console")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(source: str, package: str) -> list[str]:
    """The absolute names of the modules `source` imports when run, function-local imports included."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def upward(name: str) -> bool:
    if name == "tinker_ext_raw" or name.startswith("tinker_ext_raw."):
        return True
    if name == "tinker_ext" or name.startswith("tinker_ext."):
        return not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED_TINKER_EXT)
    return False


def test_the_import_reader_sees_function_local_and_relative_imports_but_not_type_checking_ones() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tinker_ext.types import Datum\n"
        "def f():\n    from tinker_ext_raw.public import EncodedTextChunk\n"
        "class C:\n    def g(self):\n        from ..types import datum\n"
    )
    names = runtime_imports(source, "tinker_ext._types")
    assert [n for n in names if upward(n)] == [
        "tinker_ext_raw.public",
        "tinker_ext_raw.public.EncodedTextChunk",
        "tinker_ext.types",
        "tinker_ext.types.datum",
    ]


def test_behaviour_modules_import_nothing_above_them() -> None:
    modules = sorted(BEHAVIOUR_DIR.glob("*.py"))
    assert len(modules) > 10  # the layer is where we think it is
    offending = {
        path.name: bad
        for path in modules
        if (bad := [n for n in runtime_imports(path.read_text(), "tinker_ext._types") if upward(n)])
    }
    assert offending == {}
