"""`tinker_ext.drop_in`: code written for `import tinker` (0.38 API, both calling styles) runs unchanged on
tinker-ext, against the in-process fake server bridged to a real loopback HTTP port. The hook is off until
installed, covers submodule imports, and wins over an installed official `tinker` only while installed."""

from __future__ import annotations

import contextlib
import http.server
import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _fault_server import FakeTinker

import tinker_ext
from tinker_ext import drop_in

SCRIPT = Path(__file__).parent / "drop_in_scripts" / "train_038.py"


@contextlib.contextmanager
def loopback(fake: FakeTinker) -> Iterator[str]:
    """Serve `fake` (a MockTransport handler) on 127.0.0.1 so unmodified code can reach it by URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = httpx.Request(
                self.command,
                f"http://127.0.0.1{self.path}",
                headers=dict(self.headers.items()),
                content=self.rfile.read(length) if length else b"",
            )
            response = fake.handle(request)
            self.send_response(response.status_code)
            for key, value in response.headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(key, value)
            self.send_header("content-length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_leftover_hook() -> Iterator[None]:
    yield
    drop_in.uninstall()


def test_the_hook_is_off_unless_installed() -> None:
    assert not drop_in.installed()
    assert not any(type(f).__name__ == "_AliasFinder" for f in sys.meta_path)
    modules = {n: m for n, m in sys.modules.items() if n == "tinker" or n.startswith("tinker.")}
    assert all(not getattr(m, "__name__", "").startswith("tinker_ext") for m in modules.values())


def test_submodules_resolve_to_tinker_ext_and_uninstall_restores_the_official_package() -> None:
    official = importlib.util.find_spec("tinker")  # the tests venv has the official SDK installed
    drop_in.install()
    import tinker
    import tinker.lib.public_interfaces as pi
    import tinker.types.sampled_sequence as collapsed  # one-class module of the official SDK
    from tinker.lib.public_interfaces.rest_client import RestClient
    from tinker.types.tensor_data import TensorData

    # `tinker` is a thin module over tinker_ext: the same names (set through), the official version/title
    assert tinker.ServiceClient is tinker_ext.ServiceClient and tinker.types is tinker_ext.types
    assert (tinker.__version__, tinker.__title__) == (drop_in.API_VERSION, "tinker") == ("0.38.0", "tinker")
    assert tinker_ext.__version__ != drop_in.API_VERSION and {"__title__", "__version__"} <= set(
        tinker.__all__
    )
    original = tinker_ext.ServiceClient
    tinker.ServiceClient = object  # type: ignore[misc,assignment]  # what monkeypatch.setattr(tinker, ...) does
    assert tinker_ext.ServiceClient is object
    tinker.ServiceClient = original  # type: ignore[misc]
    assert pi.APIFuture is tinker_ext.APIFuture and RestClient is tinker_ext.RestClient
    assert TensorData is tinker_ext.TensorData
    assert collapsed.SampledSequence is tinker_ext.types.SampledSequence
    with pytest.raises(ModuleNotFoundError, match=r"tinker\.no_such_module"):
        importlib.import_module("tinker.no_such_module")
    drop_in.uninstall()
    if official is not None:
        import tinker as again

        assert again is not tinker_ext and again.__name__ == "tinker"


def test_a_038_training_loop_runs_unchanged_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeTinker()
    with loopback(fake) as url:
        monkeypatch.setenv("TINKER_BASE_URL", url)
        monkeypatch.setenv("TINKER_API_KEY", "tml-drop-in")
        monkeypatch.setattr(sys, "argv", sys.argv[:])
        drop_in.run(str(SCRIPT))
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["module"] == "tinker_ext" and report["version"] == "0.38.0"
    assert report["saved"].startswith("tinker://") and report["saved"].endswith("/weights/step-1")
    assert report["optim"] == "OptimStepResponse" and report["awaited"] == "ForwardBackwardOutput"
    assert (report["outputs"], report["async_outputs"]) == (1, 1) and report["tokens"]
    assert report["rest"] and report["close"]
    saves = fake.bodies("/api/v1/save_weights")
    assert saves and saves[0]["user_metadata"] == {"k": "v"}
    assert len(fake.bodies("/api/v1/forward_backward")) == 3
    assert len(fake.bodies("/api/v1/optim_step")) == 2


def test_the_launcher_runs_a_script_in_a_fresh_interpreter() -> None:
    fake = FakeTinker()
    with loopback(fake) as url:
        env = {**os.environ, "TINKER_BASE_URL": url, "TINKER_API_KEY": "tml-drop-in"}
        done = subprocess.run(
            [sys.executable, "-m", "tinker_ext.drop_in", str(SCRIPT)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["module"] == "tinker_ext"
