"""The `tinker_server` fixture: real Tinker-compatible servers for everything under tests/integration.

Without TINKER_BASE_URL the fixture is parametrised over the local servers (localserver/, built by
`nox -s server`): one session-scoped server per kind, test ids `[skyrl-tx]` (skyrl-tx 0.3.0, JSON
wire) and `[skyrl]` (skyrl 0.4.0, protobuf wire). TINKER_EXT_LOCAL_SERVERS (comma-separated kinds,
default all) selects which run, e.g. `TINKER_EXT_LOCAL_SERVERS=skyrl-tx`. pytest runs the tests of one
server before starting the next, so only one server runs at a time.

With TINKER_BASE_URL (+ TINKER_API_KEY, TINKER_BASE_MODEL; optionally TINKER_SERVER_WIRE=json|protobuf)
the same tests run once against that server instead (id `[remote]`).

A test module that is about particular local servers declares them with
`pytestmark = pytest.mark.local_server_kinds("skyrl")`; its items for other servers are deselected.

CI safety: the selected servers' venvs are built before the first test; each server start has its own
deadline (TINKER_EXT_SERVER_START_TIMEOUT, seconds); every test has pytest-timeout's deadline
(pyproject.toml); a server is stopped when the tests of the next kind begin and at session end, also
on failures, Ctrl-C and SIGTERM; once a server has died, every later test of it errors at once with its
log tail instead of waiting for futures that never complete.
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

from localserver.setup_server import KINDS, get_kind  # noqa: E402  (needs the sys.path entry above)

INTEGRATION_DIR = Path(__file__).resolve().parent
TOKENIZER_DIR_ENV = "TINKER_TOKENIZER_DIR"
START_TIMEOUT_ENV = "TINKER_EXT_SERVER_START_TIMEOUT"
LOCAL_SERVERS_ENV = "TINKER_EXT_LOCAL_SERVERS"
REMOTE_WIRE_ENV = "TINKER_SERVER_WIRE"
REMOTE = "remote"
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
    # "skyrl-tx" / "skyrl" for the local servers (localserver.setup_server.KINDS), "remote" otherwise.
    kind: str = REMOTE
    # The wire the server speaks: "json" (SDK <= 0.17 dialect), "protobuf" (SDK >= 0.25), or None when
    # unknown (a remote server without TINKER_SERVER_WIRE).
    wire: str | None = None
    # The local server venv's python (holds the official `tinker` SDK the server was made for).
    server_python: Path | None = None


def selected_local_kinds() -> list[str]:
    """The local server kinds this run uses: TINKER_EXT_LOCAL_SERVERS, default all (in KINDS order)."""
    raw = os.environ.get(LOCAL_SERVERS_ENV, "").strip()
    if not raw:
        return list(KINDS)
    kinds = [part.strip() for part in raw.split(",") if part.strip()]
    for kind in kinds:
        get_kind(kind)  # a typo fails the run instead of silently testing nothing
    return list(dict.fromkeys(kinds))


def _server_params() -> list[str]:
    return [REMOTE] if os.environ.get("TINKER_BASE_URL") else selected_local_kinds()


# The local server of this session while it runs (checked before each test of its kind).
_running_server: LocalServer | None = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "local_server_kinds(*kinds): run this test only against these local server kinds (others deselected)",
    )


def _server_param(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("tinker_server") if callspec is not None else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        if INTEGRATION_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)
        marker = item.get_closest_marker("local_server_kinds")
        param = _server_param(item)
        if marker is not None and param is not None and param not in marker.args:
            deselected.append(item)
        else:
            keep.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Build (or check) the local servers' venvs before the first test, so that a first-time build
    (~150 s each) does not count against a test's timeout. A no-op when already built (~0.5 s)."""
    if session.config.option.collectonly or os.environ.get("TINKER_BASE_URL"):
        return
    used = {_server_param(item) for item in session.items}
    from localserver.setup_server import ensure_server_env

    for kind in selected_local_kinds():
        if kind in used:
            ensure_server_env(kind)


def pytest_runtest_setup(item: pytest.Item) -> None:
    server = _running_server
    if server is not None and server.kind == _server_param(item) and not server.is_running():
        pytest.fail(f"the local {server.kind} server has died\n{server.log_tail()}", pytrace=False)


def _start_timeout() -> float:
    raw = os.environ.get(START_TIMEOUT_ENV)
    return float(raw) if raw else DEFAULT_START_TIMEOUT


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _remote_server() -> TinkerServerConfig:
    base_url = os.environ["TINKER_BASE_URL"]
    api_key = os.environ.get("TINKER_API_KEY")
    base_model = os.environ.get("TINKER_BASE_MODEL")
    if not api_key or not base_model:
        pytest.fail("TINKER_BASE_URL is set: TINKER_API_KEY and TINKER_BASE_MODEL must be set too")
    wire = os.environ.get(REMOTE_WIRE_ENV) or None
    if wire not in (None, "json", "protobuf"):
        pytest.fail(f"{REMOTE_WIRE_ENV} must be 'json' or 'protobuf', not {wire!r}")
    return TinkerServerConfig(
        base_url=base_url.rstrip("/"), base_model=base_model, api_key=api_key, wire=wire
    )


@pytest.fixture(autouse=True)
def _telemetry_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No telemetry requests in tests that count requests; the telemetry tests turn it on themselves."""
    monkeypatch.setenv("TINKER_TELEMETRY", "0")


@pytest.fixture(autouse=True)
def _own_server_facts(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a test's `tinker-ext contract` run measured (tinker_ext._session.server_facts) changes how the SDK
    trains against that URL: each test gets a facts directory of its own, never the user's cache (a
    loopback URL is reused by the next server on that port)."""
    monkeypatch.setenv("TINKER_EXT_SERVER_FACTS_DIR", str(tmp_path_factory.mktemp("server-facts")))


@pytest.fixture(scope="session", params=_server_params())
def tinker_server(request: pytest.FixtureRequest) -> Iterator[TinkerServerConfig]:
    global _running_server
    kind: str = request.param
    if kind == REMOTE:
        yield _remote_server()
        return

    from localserver.server import LocalServer

    # SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so pytest's teardown stops the server. If this
    # process is killed outright, the server gets SIGTERM from the kernel (LocalServer's parent-death signal).
    in_main_thread = threading.current_thread() is threading.main_thread()  # signal.signal() requires it
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt) if in_main_thread else None
    previous_tokenizer_dir = os.environ.get(TOKENIZER_DIR_ENV)
    try:
        with LocalServer(kind=kind, startup_timeout=_start_timeout()) as server:
            _running_server = server
            # The tiny model's tokenizer is found as <models dir>/<base model>/tokenizer.json.
            os.environ.setdefault(TOKENIZER_DIR_ENV, str(server.models_dir))
            yield TinkerServerConfig(
                base_url=server.base_url,
                base_model=server.base_model,
                api_key=server.api_key,
                tokenizer_file=server.tokenizer_file,
                is_local=True,
                kind=server.kind,
                wire=server.wire,
                server_python=server.python,
            )
    finally:
        _running_server = None
        if previous_tokenizer_dir is None:
            os.environ.pop(TOKENIZER_DIR_ENV, None)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
