"""Run a real Tinker server (skyrl-tx 0.3.0 or skyrl 0.4.0) on loopback with the tiny local model.

    with LocalServer() as server:                   # kind="skyrl-tx" (legacy JSON wire)
        print(server.base_url, server.base_model, server.api_key)
    with LocalServer(kind="skyrl") as server:       # skyrl 0.4.0 (protobuf wire)
        ...

    python localserver/server.py [--kind skyrl] [--port N]      # foreground, Ctrl-C to stop

In the foreground it prints `export NAME=value` lines for every variable a client needs
(`client_environment()`): paste them into another shell and the README quickstart, the examples
and `tinker-ext` use this server.

The server process (FastAPI API + its JAX engine subprocess) runs in its own process group with
its SQLite database, checkpoints and log in a fresh temporary directory. Standard library only,
so tests, examples and a bare `python` can all use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

if __package__ in (None, ""):  # run as a script: make `localserver` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localserver.setup_server import BASE_MODEL, DEFAULT_KIND, KINDS, ServerEnv, ensure_server_env, get_kind

# Neither server checks API keys; the official SDK insists on the `tml-` prefix.
LOCAL_API_KEY = "tml-local-server-accepts-any-key"

# Logged by the engine subprocess (skyrl-tx 0.3.0 and skyrl 0.4.0 alike) once the base model is
# loaded and it polls for work.
_ENGINE_READY_LINE = "Starting background engine"

UV_SHIM = Path(__file__).resolve().parent / "uv_shim.py"

# The JAX backends of skyrl-tx 0.3.0 (tx/tinker/backends/jax.py) and skyrl 0.4.0
# (skyrl/backends/jax.py) take the same JaxBackendConfig keys:
# * 64 adapter slots: models are never unloaded while heartbeat expiry is off (one slot per training client).
# * Fixed batch shapes. XLA compiles one program per input shape (2-15 s each on CPU). Sequence
#   lengths are bucketed by skyrl, but the number of datums in a batch is not, and the engine batches
#   whatever requests are pending. With micro-batches of one sequence, forward and forward_backward
#   only ever see [1, seq bucket]; the math is unchanged (per-datum losses; gradients are summed over
#   datums either way, now across micro-batches). Sampling runs one sequence per generate call, so a
#   batch never mixes requests (their max_tokens, stop lists or prompt-logprob flags would otherwise
#   combine into new static arguments); seeded samples do not depend on batching.
_BACKEND_CONFIG = {
    "max_lora_adapters": 64,
    "max_lora_rank": 32,
    "train_micro_batch_size": 1,
    "sample_max_num_sequences": 1,
}


# Overrides where the persistent JAX compilation cache lives (default: <server env>/jax-cache).
JAX_CACHE_DIR_ENV = "TINKER_EXT_JAX_CACHE_DIR"


class ServerStartError(RuntimeError):
    """The local server did not become ready; the message carries the tail of its log."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_TEMP_WORKDIR_PREFIX = "tinker-localserver-"
_OWNER_PID_FILE = "owner.pid"


def _remove_orphaned_workdirs() -> None:
    """Delete temp workdirs whose owning process is gone: a SIGKILLed test run cannot clean up (its
    server does die, see `_die_with_parent`). Dirs of live processes and dirs without a pid file stay."""
    for workdir in Path(tempfile.gettempdir()).glob(f"{_TEMP_WORKDIR_PREFIX}*"):
        try:
            owner = int((workdir / _OWNER_PID_FILE).read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(workdir, ignore_errors=True)
        except (OSError, ValueError):
            continue  # no pid file, unreadable, or a live process of another user


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM the server if the process that started it dies
    (a killed test run must not leave servers behind). Linux only; a no-op elsewhere."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _host_cpu_tag() -> str:
    """Names the CPU that XLA compiles for: compiled programs in the persistent cache are native code,
    so a cache directory carried to another CPU model must not be read (worst case SIGILL)."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        cpuinfo = ""
    first_cpu = cpuinfo.split("\n\n", 1)[0]
    keep = [
        line for line in first_cpu.splitlines() if line.split(":", 1)[0].strip() in {"model name", "flags"}
    ]
    digest = hashlib.sha256("\n".join([platform.machine(), *keep]).encode()).hexdigest()[:12]
    return f"{platform.machine() or 'cpu'}-{digest}"


def jax_cache_dir(env: ServerEnv, override: Path | None = None) -> Path:
    """The persistent JAX compilation cache of one server kind: `override`/<kind>, else
    $TINKER_EXT_JAX_CACHE_DIR/<kind>, else the kind's env jax-cache/, always in a per-CPU subdirectory.
    It only saves compile time: JAX falls back to compiling when an entry is missing or unreadable."""
    root = override or (Path(os.environ[JAX_CACHE_DIR_ENV]) if os.environ.get(JAX_CACHE_DIR_ENV) else None)
    return (root / env.kind.name if root else env.jax_cache_dir) / _host_cpu_tag()


def _write_uv_shim(shim_dir: Path, python: Path) -> None:
    """`uv` on the server's PATH: execs uv_shim.py with the server venv's python."""
    shim_dir.mkdir(parents=True, exist_ok=True)
    shim = shim_dir / "uv"
    shim.write_text(f'#!/bin/sh\nexec "{python}" "{UV_SHIM}" "$@"\n')
    shim.chmod(0o755)


def _server_environ(shim_dir: Path, cache_dir: Path) -> dict[str, str]:
    # skyrl reads some settings from SKYRL_* / TX_* variables (e.g. the database URL): only ours count.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV"} and not k.startswith(("TX_", "SKYRL_"))
    }
    return {
        **inherited,
        "PATH": f"{shim_dir}{os.pathsep}{inherited.get('PATH', '/usr/bin:/bin')}",
        "JAX_PLATFORMS": "cpu",
        # Persist XLA compilations across server starts: the first train step drops from ~8 s to ~1 s.
        "JAX_COMPILATION_CACHE_DIR": str(cache_dir),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",  # rich logging wraps at 80 columns otherwise
    }


class LocalServer:
    """A running local Tinker server on 127.0.0.1 (context manager; `start()`/`stop()` also work)."""

    def __init__(
        self,
        *,
        kind: str = DEFAULT_KIND,
        port: int | None = None,
        startup_timeout: float = 180.0,
        wait_for_engine: bool = True,
        session_timeout_sec: int = -1,
        workdir: Path | None = None,
        jax_cache_dir: Path | None = None,
    ) -> None:
        """
        kind: "skyrl-tx" (skyrl-tx 0.3.0, JSON wire) or "skyrl" (skyrl 0.4.0, protobuf wire); see KINDS.
        port: fixed port, else a free one. wait_for_engine: also wait until the engine has loaded
        the model (healthz answers ~10 s earlier; requests sent before then just queue).
        session_timeout_sec: -1 disables skyrl's unloading of models whose session stopped
        heartbeating. workdir: keep database, checkpoints and server.log there instead of a temp dir
        that is deleted on stop. jax_cache_dir: persistent JAX compilation cache root (see
        `jax_cache_dir()`); an empty directory gives a cold start as on a fresh CI machine.
        """
        self.kind = get_kind(kind).name
        self._requested_port = port
        self._startup_timeout = startup_timeout
        self._wait_for_engine = wait_for_engine
        self._session_timeout_sec = session_timeout_sec
        self._keep_workdir = workdir is not None
        self._workdir = workdir
        self._jax_cache_override = jax_cache_dir
        self._process: subprocess.Popen[bytes] | None = None
        self._env: ServerEnv | None = None
        self._log_offset = 0  # where this start's lines begin in server.log (a kept workdir appends to it)
        self.port = 0
        self.startup_seconds = 0.0

    # What clients need.
    @property
    def wire(self) -> str:
        """The wire this kind of server speaks: "json" (SDK <= 0.17 dialect) or "protobuf" (SDK >= 0.25)."""
        return get_kind(self.kind).wire

    @property
    def python(self) -> Path:
        """The server venv's python (it also has the official `tinker` SDK the server was made for)."""
        return self._built_env().python

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_model(self) -> str:
        return BASE_MODEL

    @property
    def api_key(self) -> str:
        return LOCAL_API_KEY

    @property
    def tokenizer_file(self) -> Path:
        """tokenizer.json of the base model (there is no hub to fetch it from)."""
        return self._built_env().tokenizer_file

    @property
    def model_dir(self) -> Path:
        return self._built_env().model_dir

    @property
    def models_dir(self) -> Path:
        """Holds `<base_model>/tokenizer.json`: usable as TINKER_TOKENIZER_DIR."""
        return self._built_env().models_dir

    @property
    def log_file(self) -> Path:
        assert self._workdir is not None, "server not started"
        return self._workdir / "server.log"

    @property
    def checkpoints_dir(self) -> Path:
        assert self._workdir is not None, "server not started"
        return self._workdir / "checkpoints"

    def client_environment(self) -> dict[str, str]:
        """The variables a client needs for this server: URL, key, base model and where the tokenizer
        of the base model is (it exists only on this machine, there is no hub to fetch it from)."""
        return {
            "TINKER_BASE_URL": self.base_url,
            "TINKER_API_KEY": self.api_key,
            "TINKER_BASE_MODEL": self.base_model,
            "TINKER_TOKENIZER_DIR": str(self.models_dir),
        }

    def _built_env(self) -> ServerEnv:
        if self._env is None:
            self._env = ensure_server_env(self.kind)
        return self._env

    def start(self) -> LocalServer:
        if self._process is not None:
            raise RuntimeError("LocalServer already started")
        env = self._built_env()
        if self._workdir is None:
            _remove_orphaned_workdirs()
            self._workdir = Path(tempfile.mkdtemp(prefix=_TEMP_WORKDIR_PREFIX))
            (self._workdir / _OWNER_PID_FILE).write_text(str(os.getpid()))
        self._workdir.mkdir(parents=True, exist_ok=True)
        self.port = self._requested_port or _free_port()
        shim_dir = self._workdir / "uv-shim"
        _write_uv_shim(shim_dir, env.python)
        # skyrl 0.4.0's API reads its parent's command line for `uv run ... -m skyrl.tinker.api`.
        launcher = [str(UV_SHIM), "run"] if env.kind.api_under_uv else []
        cmd = [
            str(env.python), *launcher, "-m", env.kind.api_module,
            "--base-model", BASE_MODEL,
            "--backend", "jax",
            "--backend-config", json.dumps(_BACKEND_CONFIG),
            "--checkpoints-base", str(self.checkpoints_dir),
            "--database-url", f"sqlite:///{self._workdir / 'tinker.db'}",
            "--external-inference-lora-base", str(self._workdir / "lora_models"),
            "--session-timeout-sec", str(self._session_timeout_sec),
            "--session-cleanup-interval-sec", "-1" if self._session_timeout_sec < 0 else "10",
            "--host", "127.0.0.1",
            "--port", str(self.port),
        ]  # fmt: skip
        started = time.perf_counter()
        with open(self.log_file, "ab") as log:
            self._log_offset = log.tell()
            # cwd=models/ makes the base model name resolve to the local directory.
            self._process = subprocess.Popen(
                cmd,
                cwd=env.models_dir,
                env=_server_environ(shim_dir, jax_cache_dir(env, self._jax_cache_override)),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() signals the API and its engine
                preexec_fn=_die_with_parent,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.perf_counter() - started
        return self

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._startup_timeout
        healthy = False
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerStartError(
                    f"{self.kind} server exited with code {self._process.returncode} during startup\n{self.log_tail()}"
                )
            healthy = healthy or self._healthz()
            if healthy and (not self._wait_for_engine or _ENGINE_READY_LINE in self._read_log()):
                return
            time.sleep(0.1)
        what = "engine start" if healthy else "GET /api/v1/healthz"
        raise ServerStartError(
            f"{self.kind} server on {self.base_url} not ready after {self._startup_timeout:.0f}s "
            f"(waiting for {what})\n{self.log_tail()}"
        )

    def is_running(self) -> bool:
        """Started and the API process has not exited."""
        return self._process is not None and self._process.poll() is None

    def _healthz(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/api/v1/healthz", timeout=2) as resp:
                return bool(resp.status == 200 and json.load(resp).get("status") == "ok")
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def _read_log(self) -> str:
        """This start's part of server.log (a restart on a kept workdir must not see the last run's lines)."""
        try:
            with open(self.log_file, "rb") as log:
                log.seek(self._log_offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        tail = self._read_log().splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_file} ---\n" + "\n".join(tail)

    def kill(self) -> None:
        """SIGKILL the server's process group (API + engine) as a crash would: no cleanup, the workdir
        (database, checkpoints) is kept for a restart with `LocalServer(workdir=..., port=...)`."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the server's process group (API + engine), SIGKILL it if it lingers."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # The engine can outlive the API process briefly; the group is ours alone.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self._workdir is not None and not self._keep_workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Run a local Tinker server in the foreground.")
    parser.add_argument("--kind", choices=sorted(KINDS), default=DEFAULT_KIND, help="server kind")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="keep database, checkpoints and log here")
    args = parser.parse_args()
    server = LocalServer(kind=args.kind, port=args.port, workdir=args.workdir)
    with server:
        print(f"# {server.kind}: {get_kind(server.kind).description}")
        print("# paste into the shell that runs the client:")
        for name, value in server.client_environment().items():
            print(f"export {name}={shlex.quote(value)}")
        print(f"# ready in {server.startup_seconds:.1f}s; log: {server.log_file}", flush=True)
        print("# Ctrl-C stops the server", flush=True)
        stop_signals = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # deliver them to sigwait, then clean up
        signal.sigwait(stop_signals)


if __name__ == "__main__":
    main()
