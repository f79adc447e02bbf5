"""Run code written for the official SDK (`import tinker`, `from tinker.types import ...`,
`from tinker.lib.public_interfaces import APIFuture`) on tinker-ext, unchanged. Opt-in only:

    tinker-ext-run train.py --lr 1e-4          # a script
    tinker-ext-run -m my_pkg.train --lr 1e-4   # a module
    python -m tinker_ext.drop_in train.py      # the same without the console script

or, in code (a notebook, a test), before the first `import tinker`:

    import tinker_ext.drop_in
    tinker_ext.drop_in.install()

`install()` puts an import hook first on `sys.meta_path` that answers `tinker` and every `tinker.<sub>`
with the module `tinker_ext.<sub>` (the same module object: `tinker.types is tinker_ext.types`). Official
submodules that tinker-ext does not mirror one by one (`tinker.types.sampled_sequence`,
`tinker.lib.public_interfaces.training_client`, ...) resolve to the package that holds their names
(`tinker_ext.types`, `tinker_ext.lib.public_interfaces`). Nothing happens unless you opt in; with the hook
installed, `import tinker` means tinker-ext even when the official package is installed as well
(`uninstall()` restores the previous state). Subprocesses started with `spawn` do not inherit the hook.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import runpy
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["install", "installed", "main", "run", "uninstall"]

ALIAS = "tinker"
TARGET = "tinker_ext"
# Official packages whose many one-class modules map onto one of ours that exports all their names.
_COLLAPSED = ("types", "lib.public_interfaces")


def _target_of(fullname: str) -> str | None:
    if fullname == ALIAS:
        return TARGET
    if fullname.startswith(ALIAS + "."):
        return TARGET + fullname[len(ALIAS) :]
    return None


def _import_target(target: str) -> ModuleType:
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name != target:  # a dependency of the module is missing: not ours to hide
            raise
        for package in _COLLAPSED:
            prefix = f"{TARGET}.{package}."
            if target.startswith(prefix) and "." not in target[len(prefix) :]:
                return importlib.import_module(f"{TARGET}.{package}")
        raise ModuleNotFoundError(
            f"No module named {ALIAS + target[len(TARGET) :]!r} in tinker-ext's drop-in for the official "
            f"SDK (tinker-ext has no {target!r})",
            name=ALIAS + target[len(TARGET) :],
        ) from None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self._module

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already imported and executed."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        name = _target_of(fullname)
        if name is None:
            return None
        module = _import_target(name)
        is_package = hasattr(module, "__path__")
        return importlib.util.spec_from_loader(fullname, _AliasLoader(module), is_package=is_package)


_finder: _AliasFinder | None = None
_saved: dict[str, ModuleType] = {}


def installed() -> bool:
    return _finder is not None


def install() -> None:
    """Make `import tinker` (and its submodules) import tinker-ext. Idempotent."""
    global _finder
    if _finder is not None:
        return
    # An official `tinker` imported earlier would keep answering: set it aside until uninstall().
    for name in [n for n in sys.modules if n == ALIAS or n.startswith(ALIAS + ".")]:
        _saved[name] = sys.modules.pop(name)
    _finder = _AliasFinder()
    sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    """Remove the hook and the aliases; put back any official `tinker` modules set aside by install()."""
    global _finder
    if _finder is None:
        return
    sys.meta_path.remove(_finder)
    _finder = None
    for name in [n for n in sys.modules if n == ALIAS or n.startswith(ALIAS + ".")]:
        del sys.modules[name]
    sys.modules.update(_saved)
    _saved.clear()


def run(target: str, args: Sequence[str] = (), *, module: bool = False) -> None:
    """Run a script path (or, with `module=True`, a module) as `__main__` with the hook installed and
    `sys.argv = [target, *args]`."""
    install()
    sys.argv = [target, *args]
    if module:
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(target, run_name="__main__")


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m tinker_ext.drop_in [-m MODULE | SCRIPT] [ARGS...]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: tinker-ext-run [-m MODULE | SCRIPT] [ARGS...]", file=sys.stderr)
        raise SystemExit(0 if args else 2)
    if args[0] == "-m":
        if len(args) < 2:
            print("error: -m needs a module name", file=sys.stderr)
            raise SystemExit(2)
        run(args[1], args[2:], module=True)
    else:
        run(args[0], args[1:])


if __name__ == "__main__":
    main()
