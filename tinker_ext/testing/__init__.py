"""`tinker_ext.testing`: a Tinker server for your tests, in your test process (or a subprocess).

    from tinker_ext.testing import TinkerTestServer

    with TinkerTestServer() as server:
        service = tinker_ext.ServiceClient(base_url=server.base_url, api_key=server.api_key)
        ...

It speaks both wires (the legacy JSON of SDK <= 0.24 and the protobuf of SDK >= 0.25) and the API the SDKs
use, over a tiny deterministic numpy model (docs/TESTING.md). With tinker-ext installed, pytest gets a
`tinker_server` fixture (this package's `pytest_plugin`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._faults import Faults as Faults
    from ._process import TinkerTestServerProcess as TinkerTestServerProcess
    from ._server import DEFAULT_API_KEY as DEFAULT_API_KEY
    from ._server import DEFAULT_BASE_MODEL as DEFAULT_BASE_MODEL
    from ._server import TinkerTestServer as TinkerTestServer
    from ._state import Limits as Limits

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_BASE_MODEL",
    "Faults",
    "Limits",
    "TinkerTestServer",
    "TinkerTestServerProcess",
]

# Lazy (PEP 562): the pytest plugin imports this package at pytest start-up; the server (numpy, http.server,
# tokenizers) is imported when a name is first used.
_WHERE = {
    "Faults": "._faults",
    "TinkerTestServerProcess": "._process",
    "DEFAULT_API_KEY": "._server",
    "DEFAULT_BASE_MODEL": "._server",
    "TinkerTestServer": "._server",
    "Limits": "._state",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
