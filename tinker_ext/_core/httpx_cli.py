"""httpx's command-line tool, loaded when it is used rather than with httpx.

`import httpx` imports `httpx._main` (its `httpx` console script) whenever click is installed, and with it
click, rich and pygments: about 50 ms of a client's first request (issue 20) for a tool no client runs.
`defer()` (called by `import tinker_ext`, before anything imports httpx) puts a stand-in for `httpx._main`
in `sys.modules`: httpx's `from ._main import main` then binds the stand-in's `main`, which loads the real
module and runs its `main` when called; any other name read from the stand-in loads the real module too. So
`httpx.main()`, the `httpx` script and `from httpx._main import X` behave as before, only later.
Nothing is done when httpx (or its `_main`) is already imported.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["defer"]

_NAME = "httpx._main"


class _Deferred(types.ModuleType):
    """The stand-in for `httpx._main` until something needs the real one."""

    @staticmethod
    def main(*args: Any, **kwargs: Any) -> Any:
        return _real().main(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system's probes (`__path__`, ...): not a module's names
            raise AttributeError(name)
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(_NAME), _Deferred):
        del sys.modules[_NAME]
    module = importlib.import_module(_NAME)
    httpx = sys.modules.get("httpx")
    if httpx is not None:
        httpx._main = module  # type: ignore[attr-defined]  # as a normal import would have set it
    return module


def defer() -> None:
    if "httpx" in sys.modules or _NAME in sys.modules:
        return
    sys.modules[_NAME] = _Deferred(_NAME, __doc__)
