"""The `tinker_server` fixture: a real Tinker-compatible server for everything under tests/integration.

Without TINKER_BASE_URL it starts the local skyrl-tx server (localserver/, built by `nox -s server`)
once per test session. With TINKER_BASE_URL (+ TINKER_API_KEY, TINKER_BASE_MODEL) the same tests run
against that server instead.

CI safety: the server venv is built before the first test; the server start has its own deadline
(TINKER_EXT_SERVER_START_TIMEOUT, seconds); every test has pytest-timeout's deadline (pyproject.toml);
the server is stopped at session end also on failures, Ctrl-C and SIGTERM; once it has died, every
later test errors at once with its log tail instead of waiting for futures that never complete.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import attrs
import pytest

if TYPE_CHECKING:
    from localserver.server import LocalServer

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # `localserver` is a top-level directory, not an installed package

INTEGRATION_DIR = Path(__file__).resolve().parent
TOKENIZER_DIR_ENV = "TINKER_TOKENIZER_DIR"
START_TIMEOUT_ENV = "TINKER_EXT_SERVER_START_TIMEOUT"
# Engine ready takes 12-40 s on a loaded 2-core machine; the first start after a venv build is slower.
DEFAULT_START_TIMEOUT = 240.0


@attrs.frozen
class TinkerServerConfig:
    """What a test needs to talk to the server. `api_key` is left out of the repr."""

    base_url: str
    base_model: str
    api_key: str = attrs.field(repr=False)
    # tokenizer.json of the base model when it exists only on this machine (local server), else None.
    tokenizer_file: Path | None = None
    is_local: bool = False


# The local server of this session while it runs (checked before each test).
_running_server: LocalServer | None = None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Build (or check) the local server's venv before the first test, so that a first-time build
    (~150 s) does not count against that test's timeout. A no-op when already built (~0.5 s)."""
    if session.config.option.collectonly or os.environ.get("TINKER_BASE_URL"):
        return
    if any("tinker_server" in getattr(item, "fixturenames", ()) for item in session.items):
        from localserver.setup_server import ensure_server_env

        ensure_server_env()


def pytest_runtest_setup(item: pytest.Item) -> None:
    server = _running_server
    if server is not None and not server.is_running():
        pytest.fail(f"the local skyrl-tx server has died\n{server.log_tail()}", pytrace=False)


def _start_timeout() -> float:
    raw = os.environ.get(START_TIMEOUT_ENV)
    return float(raw) if raw else DEFAULT_START_TIMEOUT


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def tinker_server() -> Iterator[TinkerServerConfig]:
    global _running_server
    base_url = os.environ.get("TINKER_BASE_URL")
    if base_url:
        api_key = os.environ.get("TINKER_API_KEY")
        base_model = os.environ.get("TINKER_BASE_MODEL")
        if not api_key or not base_model:
            pytest.fail("TINKER_BASE_URL is set: TINKER_API_KEY and TINKER_BASE_MODEL must be set too")
        yield TinkerServerConfig(base_url=base_url.rstrip("/"), base_model=base_model, api_key=api_key)
        return

    from localserver.server import LocalServer

    # SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so pytest's teardown stops the server. If this
    # process is killed outright, the server gets SIGTERM from the kernel (LocalServer's parent-death signal).
    in_main_thread = threading.current_thread() is threading.main_thread()  # signal.signal() requires it
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt) if in_main_thread else None
    previous_tokenizer_dir = os.environ.get(TOKENIZER_DIR_ENV)
    try:
        with LocalServer(startup_timeout=_start_timeout()) as server:
            _running_server = server
            # The tiny model's tokenizer is found as <models dir>/<base model>/tokenizer.json.
            os.environ.setdefault(TOKENIZER_DIR_ENV, str(server.models_dir))
            yield TinkerServerConfig(
                base_url=server.base_url,
                base_model=server.base_model,
                api_key=server.api_key,
                tokenizer_file=server.tokenizer_file,
                is_local=True,
            )
    finally:
        _running_server = None
        if previous_tokenizer_dir is None:
            os.environ.pop(TOKENIZER_DIR_ENV, None)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
