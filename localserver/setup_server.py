"""Build (or reuse) the local skyrl-tx server: its virtualenv and its tiny model.

    python localserver/setup_server.py            build what is missing, print where things are
    python localserver/setup_server.py --rebuild  throw the cached environment away first
    python localserver/setup_server.py --prune    also delete environments of other hashes (2+ GB each)

Standard library only: `nox -s server` runs it in a bare venv.

Layout (outside the repo, under $TINKER_EXT_CACHE or ~/.cache/tinker-ext):

    server-<env hash>/venv/                 Python 3.11 venv with the pinned requirements.txt
    server-<env hash>/venv/uv-shim/uv       stands in for `uv run ... -m MODULE ARGS` (see below)
    server-<env hash>/models/tiny/qwen3-2l/ the tiny model; the server runs with cwd=models/ so the
                                            advertised base model name IS the relative path
    server-<env hash>/jax-cache/            JAX persistent compilation cache (faster warm starts)

The env hash covers requirements.txt and this script; the model has its own hash (builder + corpus)
recorded in its marker. Markers are written only after a successful build, so an interrupted build
is redone on the next call.

Python 3.11, not 3.12: skyrl-tx imports peft at module level and peft needs torch; the only CPU
torch wheel allowed on this machine is torch 2.13.0 for cp311 (any other pulls a CUDA build).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
MODEL_BUILDER = HERE / "build_tiny_model.py"
CORPUS = HERE / "corpus.txt"

# The name the server advertises; also the model directory relative to the server's cwd.
BASE_MODEL = "tiny/qwen3-2l"
SERVER_PYTHON_VERSION = (3, 11)

# skyrl-tx's API process starts its engine with `uv run --extra tinker --extra <backend> -m
# tx.tinker.engine ARGS`. We have no uv project, so a shim first on PATH runs the venv's python
# with everything from `-m` on.
UV_SHIM = """#!/bin/sh
# Written by tinker-ext localserver/setup_server.py: `uv run [opts] -m MODULE ARGS` -> python -m MODULE ARGS
while [ $# -gt 0 ] && [ "$1" != "-m" ]; do shift; done
if [ $# -eq 0 ]; then echo "uv shim: only 'uv run ... -m MODULE' is supported" >&2; exit 2; fi
exec "{python}" "$@"
"""


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_root() -> Path:
    return Path(os.environ.get("TINKER_EXT_CACHE", Path.home() / ".cache" / "tinker-ext"))


@dataclass(frozen=True)
class ServerEnv:
    """Where the built server environment lives."""

    root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def shim_dir(self) -> Path:
        return self.venv / "uv-shim"

    @property
    def models_dir(self) -> Path:
        """The server's working directory: BASE_MODEL resolves relative to it."""
        return self.root / "models"

    @property
    def model_dir(self) -> Path:
        return self.models_dir / BASE_MODEL

    @property
    def tokenizer_file(self) -> Path:
        return self.model_dir / "tokenizer.json"

    @property
    def jax_cache_dir(self) -> Path:
        return self.root / "jax-cache"

    @property
    def venv_marker(self) -> Path:
        return self.root / ".venv-ok"

    @property
    def model_marker(self) -> Path:
        return self.model_dir / ".model-ok"


def env_hash() -> str:
    return _digest(REQUIREMENTS, Path(__file__).resolve())


def model_hash() -> str:
    return _digest(MODEL_BUILDER, CORPUS)


def server_env() -> ServerEnv:
    return ServerEnv(cache_root() / f"server-{env_hash()}")


@contextlib.contextmanager
def _build_lock(env: ServerEnv) -> Iterator[None]:
    """One builder at a time (parallel test sessions, an example started next to the tests)."""
    env.root.parent.mkdir(parents=True, exist_ok=True)
    with open(env.root.parent / f"{env.root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _find_python() -> str:
    if sys.version_info[:2] == SERVER_PYTHON_VERSION:
        return sys.executable
    name = "python{}.{}".format(*SERVER_PYTHON_VERSION)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(
            f"setup_server: {name} is required for the skyrl-tx server (torch CPU wheel is cp311)"
        )
    return found


def _run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def _build_venv(env: ServerEnv) -> float:
    start = time.perf_counter()
    if env.venv.exists():
        shutil.rmtree(env.venv)
    _run([_find_python(), "-m", "venv", str(env.venv)])
    pip = [str(env.python), "-m", "pip", "--disable-pip-version-check"]
    # The pinned list is a complete freeze; pip only has to confirm it (and uses its cache).
    # -qq: pip's config lists local extra indexes that lack most packages; one warning per package otherwise.
    _run([*pip, "install", "-qq", "-r", str(REQUIREMENTS)])
    _run([*pip, "check"])
    env.shim_dir.mkdir(parents=True, exist_ok=True)
    shim = env.shim_dir / "uv"
    shim.write_text(UV_SHIM.format(python=env.python))
    shim.chmod(0o755)
    # Fail now, not at server start, if the backend cannot even import.
    _run(
        [str(env.python), "-c", "import tx.tinker.api, tx.tinker.engine, tx.tinker.backends.jax"],
        env=_quiet_env(),
    )
    elapsed = time.perf_counter() - start
    env.venv_marker.write_text(json.dumps({"env_hash": env_hash(), "seconds": round(elapsed, 1)}) + "\n")
    return elapsed


def _build_model(env: ServerEnv) -> float:
    start = time.perf_counter()
    if env.model_dir.exists():
        shutil.rmtree(env.model_dir)
    _run([str(env.python), str(MODEL_BUILDER), "--corpus", str(CORPUS), "--out", str(env.model_dir)])
    elapsed = time.perf_counter() - start
    env.model_marker.write_text(json.dumps({"model_hash": model_hash(), "seconds": round(elapsed, 2)}) + "\n")
    return elapsed


def _quiet_env() -> dict[str, str]:
    return {**os.environ, "JAX_PLATFORMS": "cpu", "HF_HUB_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}


def _model_is_current(env: ServerEnv) -> bool:
    try:
        return bool(json.loads(env.model_marker.read_text())["model_hash"] == model_hash())
    except (OSError, ValueError, KeyError):
        return False


def ensure_server_env(*, rebuild: bool = False, verbose: bool = False) -> ServerEnv:
    """Return the built server environment, building whatever is missing or stale."""
    env = server_env()
    if not rebuild and env.venv_marker.exists() and _model_is_current(env):
        if verbose:
            print(f"server environment up to date: {env.root}")
        return env
    with _build_lock(env):
        if rebuild and env.root.exists():
            shutil.rmtree(env.root)
        env.root.mkdir(parents=True, exist_ok=True)
        if env.venv_marker.exists():
            print(f"venv: reused {env.venv}")
        else:
            print(f"venv: building {env.venv} (pinned skyrl-tx, CPU jax) ...", flush=True)
            print(f"venv: built in {_build_venv(env):.1f}s")
        if _model_is_current(env):
            print(f"model: reused {env.model_dir}")
        else:
            print(f"model: built in {_build_model(env):.2f}s -> {env.model_dir}")
    return env


def prune_stale_envs(current: ServerEnv) -> None:
    for stale in sorted(current.root.parent.glob("server-*")):
        if stale.is_dir() and stale != current.root:
            print(f"prune: removing {stale}")
            shutil.rmtree(stale, ignore_errors=True)
            (stale.parent / f"{stale.name}.lock").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Build the local skyrl-tx server environment and tiny model."
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the cached environment and build it again"
    )
    parser.add_argument("--prune", action="store_true", help="delete cached environments of other hashes")
    args = parser.parse_args()
    start = time.perf_counter()
    env = ensure_server_env(rebuild=args.rebuild, verbose=True)
    if args.prune:
        prune_stale_envs(env)
    print(f"python:     {env.python}")
    print(f"base model: {BASE_MODEL} (cwd {env.models_dir})")
    print(f"tokenizer:  {env.tokenizer_file}")
    print(f"setup took {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()
