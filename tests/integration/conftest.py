"""The `tinker_server` fixture: a real Tinker-compatible server for everything under tests/integration.

Without TINKER_BASE_URL it starts the local skyrl-tx server (localserver/, built by `nox -s server`)
once per test session. With TINKER_BASE_URL (+ TINKER_API_KEY, TINKER_BASE_MODEL) the same tests run
against that server instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # `localserver` is a top-level directory, not an installed package

INTEGRATION_DIR = Path(__file__).resolve().parent
TOKENIZER_DIR_ENV = "TINKER_TOKENIZER_DIR"


@attrs.frozen
class TinkerServerConfig:
    """What a test needs to talk to the server. `api_key` is left out of the repr."""

    base_url: str
    base_model: str
    api_key: str = attrs.field(repr=False)
    # tokenizer.json of the base model when it exists only on this machine (local server), else None.
    tokenizer_file: Path | None = None
    is_local: bool = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def tinker_server() -> Iterator[TinkerServerConfig]:
    base_url = os.environ.get("TINKER_BASE_URL")
    if base_url:
        api_key = os.environ.get("TINKER_API_KEY")
        base_model = os.environ.get("TINKER_BASE_MODEL")
        if not api_key or not base_model:
            pytest.fail("TINKER_BASE_URL is set: TINKER_API_KEY and TINKER_BASE_MODEL must be set too")
        yield TinkerServerConfig(base_url=base_url.rstrip("/"), base_model=base_model, api_key=api_key)
        return

    from localserver.server import LocalServer

    with LocalServer() as server:
        # The tiny model's tokenizer is found as <models dir>/<base model>/tokenizer.json.
        previous = os.environ.get(TOKENIZER_DIR_ENV)
        os.environ.setdefault(TOKENIZER_DIR_ENV, str(server.models_dir))
        try:
            yield TinkerServerConfig(
                base_url=server.base_url,
                base_model=server.base_model,
                api_key=server.api_key,
                tokenizer_file=server.tokenizer_file,
                is_local=True,
            )
        finally:
            if previous is None:
                os.environ.pop(TOKENIZER_DIR_ENV, None)
