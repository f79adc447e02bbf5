"""Run code written for the official SDK (`import tinker`, `from tinker.types import ...`,
`from tinker.lib.public_interfaces import APIFuture`) on tinker-ext, unchanged. Opt-in only:

    tinker-ext-run train.py --lr 1e-4          # a script
    tinker-ext-run -m my_pkg.train --lr 1e-4   # a module
    python -m tinker_ext.drop_in train.py      # the same without the console script

or, in code (a notebook, a test), before the first `import tinker`:

    import tinker_ext.drop_in
    tinker_ext.drop_in.install()

`install()` puts an import hook first on `sys.meta_path` that answers every `tinker.<sub>` with the module
`tinker_ext.<sub>` (the same module object: `tinker.types is tinker_ext.types`), and `tinker` itself with a
thin module that reads and writes tinker_ext's names but reports the official SDK's `__title__` and, as
`__version__`, the official release whose API it implements (`API_VERSION`; code gating on the SDK version
takes the 0.38 path; `tinker_ext.__version__` stays tinker-ext's own). Official
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
from typing import Any

__all__ = ["API_VERSION", "install", "installed", "main", "run", "uninstall"]

ALIAS = "tinker"
TARGET = "tinker_ext"
API_VERSION = "0.38.0"  # the official SDK release whose API tinker-ext implements
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
        # a dependency of the module is missing: not ours to hide (a missing parent of ours is ours)
        if exc.name is None or not (target == exc.name or target.startswith(exc.name + ".")):
            raise
        for package in _COLLAPSED:  # also deeper paths (`tinker.types.shared.untyped_api_future`)
            if target.startswith(f"{TARGET}.{package}."):
                return importlib.import_module(f"{TARGET}.{package}")
        raise ModuleNotFoundError(
            f"No module named {ALIAS + target[len(TARGET) :]!r} in tinker-ext's drop-in for the official "
            f"SDK (tinker-ext has no {target!r})",
            name=ALIAS + target[len(TARGET) :],
        ) from None


class _TinkerModule(ModuleType):
    """`tinker` under the drop-in: tinker_ext's names (read and set through to it), the official
    `__title__`, and `API_VERSION` as `__version__`."""

    def __init__(self, target: ModuleType) -> None:
        super().__init__(ALIAS, target.__doc__)
        own: dict[str, Any] = {"__version__": API_VERSION, "__title__": ALIAS, "_target": target}
        own["__all__"] = sorted({*getattr(target, "__all__", ()), "__title__", "__version__"})
        own["__path__"] = list(getattr(target, "__path__", []))
        own["__file__"] = getattr(target, "__file__", None)
        self.__dict__.update(own)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_target"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("__"):  # the import system's __spec__, __loader__, ...
            super().__setattr__(name, value)
        else:  # `monkeypatch.setattr(tinker, "ServiceClient", ...)` must reach the code that uses it
            setattr(self.__dict__["_target"], name, value)

    def __dir__(self) -> list[str]:
        return sorted({*dir(self.__dict__["_target"]), "__title__", "__version__"})


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
        if fullname == ALIAS:
            module = _TinkerModule(module)
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
