"""The pytest plugin of tinker-ext (entry point `pytest11`): a `tinker_server` fixture, one
`TinkerTestServer` per test (fresh state, faults cleared)::

    def test_training(tinker_server):
        service = tinker_ext.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)

Importing this module costs nothing: the server is imported when the fixture is first used. A
`tinker_server` fixture of a project's own conftest.py takes precedence, as pytest always does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tinker_ext.testing import TinkerTestServer

__all__ = ["tinker_server"]


@pytest.fixture
def tinker_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[TinkerTestServer]:
    """A Tinker test server on 127.0.0.1 for this test (`base_url`, `base_model`, `api_key`, `faults`);
    `get_tokenizer()` of its clients finds the server's tokenizer (`server.tokenizer_env` is set, unless
    TINKER_TOKENIZER_DIR is already)."""
    import os

    from tinker_ext.testing import TinkerTestServer

    with TinkerTestServer() as server:
        for name, value in server.tokenizer_env.items():
            if name not in os.environ:
                monkeypatch.setenv(name, value)
        yield server
