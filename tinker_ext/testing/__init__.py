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

from ._faults import Faults
from ._process import TinkerTestServerProcess
from ._server import DEFAULT_API_KEY, DEFAULT_BASE_MODEL, TinkerTestServer

__all__ = ["DEFAULT_API_KEY", "DEFAULT_BASE_MODEL", "Faults", "TinkerTestServer", "TinkerTestServerProcess"]
