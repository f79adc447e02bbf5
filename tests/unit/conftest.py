"""Shared fixtures of the unit tests: a fake Tinker server and a ServiceClient wired to it.

A test module that needs a differently scripted server overrides `server`; `service` then uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _fault_server import FakeTiming, FakeTinker

import tinker_ext as tinker


@pytest.fixture
def server() -> FakeTinker:
    return FakeTinker()


@pytest.fixture
def make_service(server: FakeTinker) -> Callable[..., tinker.ServiceClient]:
    """A ServiceClient on `server` with more options (the test closes it)."""

    def make(**options: Any) -> tinker.ServiceClient:
        return tinker.ServiceClient(
            api_key="tml-test",
            base_url="http://t",
            _transport=server.transport(),
            _timing=FakeTiming().timing(),
            **options,
        )

    return make


@pytest.fixture
def service(server: FakeTinker) -> Iterator[tinker.ServiceClient]:
    sc = tinker.ServiceClient(
        api_key="tml-test", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    yield sc
    sc.close()


@pytest.fixture(autouse=True)
def _telemetry_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No telemetry requests in tests that count requests; the telemetry tests turn it on themselves."""
    monkeypatch.setenv("TINKER_TELEMETRY", "0")


@pytest.fixture(autouse=True)
def _own_server_facts(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Server facts (tinker_ext._session.server_facts) that a test writes or reads live in a directory of its own,
    never in the user's cache."""
    monkeypatch.setenv("TINKER_EXT_SERVER_FACTS_DIR", str(tmp_path_factory.mktemp("server-facts")))
