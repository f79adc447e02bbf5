"""Build (or reuse) the local Tinker servers: one virtualenv per server kind, and the tiny model.

    python localserver/setup_server.py                 build what is missing (all kinds), print where
    python localserver/setup_server.py --kind skyrl    only that kind (repeatable)
    python localserver/setup_server.py --rebuild       throw the selected kinds' cached venvs away first
    python localserver/setup_server.py --prune         also delete venvs/models of other hashes (2+ GB each)

Server kinds (`KINDS`):

    skyrl-tx   skyrl-tx 0.3.0 (module `tx`), legacy JSON wire (SDK <= 0.17 dialect)
    skyrl      skyrl 0.4.0 (module `skyrl`), current protobuf wire (SDK 0.25)

Standard library only: `nox -s server` runs it in a bare venv.

Layout (outside the repo, under $TINKER_EXT_CACHE or ~/.cache/tinker-ext):

    <kind>-<env hash>/venv/          Python 3.11 venv with that kind's pinned requirements-<kind>.txt
    <kind>-<env hash>/jax-cache/     that kind's JAX persistent compilation cache
    model-<model hash>/tiny/qwen3-2l the tiny model, shared by all kinds; servers run with
                                     cwd=model-<hash>/ so the advertised base model name IS the relative path

A kind's env hash covers only what defines its venv: the kind's name, its requirement lines (not the
comments) and its recipe version (bump `recipe` when the install steps of a kind change), so editing this script or the
launcher does not force a multi-GB rebuild. The model hash covers the builder script and the corpus.
Markers are written only after a successful build, so an interrupted build is redone on the next call.

Python 3.11, not 3.12: both servers import peft at module level and peft needs torch; the only CPU
torch wheel allowed on this machine is torch 2.13.0 for cp311 (any other pulls a CUDA build).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL_BUILDER = HERE / "build_tiny_model.py"
CORPUS = HERE / "corpus.txt"

# The name the servers advertise; also the model directory relative to the servers' cwd.
BASE_MODEL = "tiny/qwen3-2l"
SERVER_PYTHON_VERSION = (3, 11)

# skyrl 0.4.0 and flax 0.12.10 declare Requires-Python >=3.12. On 3.11 the one thing that breaks is
# pydantic refusing `typing.TypedDict` (skyrl/tinker/types.py): pydantic wants typing_extensions'
# TypedDict before 3.12. This hook, loaded at interpreter start through a .pth file in the venv, makes
# `typing.TypedDict` the typing_extensions one. No file of skyrl is changed.
_TYPEDDICT_HOOK_MODULE = "_tinker_ext_py311_typeddict"
_TYPEDDICT_HOOK = '''"""Written by tinker-ext localserver/setup_server.py (see localserver/README.md).

skyrl 0.4.0 targets Python >= 3.12; on 3.11 pydantic rejects typing.TypedDict in its models and asks
for typing_extensions.TypedDict. Make the stdlib name point at the typing_extensions class.
"""

import sys

if sys.version_info < (3, 12):
    import typing

    import typing_extensions

    typing.TypedDict = typing_extensions.TypedDict  # type: ignore[misc]
'''


@dataclass(frozen=True)
class ServerKind:
    """One kind of local Tinker server: what its venv holds and how it is started."""

    name: str
    description: str
    requirements: Path
    # Bump when the install steps below change for this kind (it is part of the env hash).
    recipe: int
    api_module: str
    # "json" (legacy SDK <= 0.17 dialect) or "protobuf" (SDK >= 0.25 dialect).
    wire: str
    # Modules imported once after the install: fail at build time, not at server start.
    import_check: tuple[str, ...]
    pip_install_args: tuple[str, ...] = ()
    # skyrl 0.4.0 on Python 3.11 needs the TypedDict hook above.
    typeddict_hook: bool = False
    # skyrl 0.4.0's API reads its parent's command line and insists on `uv run ... -m <api module>`.
    api_under_uv: bool = False
    # `pip check` lines that are expected for this kind, each explained in localserver/README.md.
    known_pip_check_lines: tuple[str, ...] = ()


KINDS: dict[str, ServerKind] = {
    kind.name: kind
    for kind in (
        ServerKind(
            name="skyrl-tx",
            description="skyrl-tx 0.3.0 (module tx), legacy JSON wire",
            requirements=HERE / "requirements-skyrl-tx.txt",
            recipe=2,
            api_module="tx.tinker.api",
            wire="json",
            import_check=("tx.tinker.api", "tx.tinker.engine", "tx.tinker.backends.jax"),
        ),
        ServerKind(
            name="skyrl",
            description="skyrl 0.4.0 (module skyrl), protobuf wire",
            requirements=HERE / "requirements-skyrl.txt",
            recipe=1,
            api_module="skyrl.tinker.api",
            wire="protobuf",
            import_check=("skyrl.tinker.api", "skyrl.tinker.engine", "skyrl.backends.jax"),
            pip_install_args=("--ignore-requires-python",),
            typeddict_hook=True,
            api_under_uv=True,
            known_pip_check_lines=("flax 0.12.10 has requirement jax>=0.11.1, but you have jax 0.10.2.",),
        ),
    )
}
DEFAULT_KIND = "skyrl-tx"


def get_kind(name: str) -> ServerKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown local server kind {name!r}; known: {', '.join(KINDS)}") from None


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()[:12]


def cache_root() -> Path:
    return Path(os.environ.get("TINKER_EXT_CACHE", Path.home() / ".cache" / "tinker-ext"))


def _requirement_lines(path: Path) -> list[str]:
    """The requirements without comments and blank lines: editing a comment does not rebuild a venv."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def env_hash(kind: ServerKind) -> str:
    requirements = "\n".join(_requirement_lines(kind.requirements)).encode()
    return _digest(kind.name.encode(), str(kind.recipe).encode(), requirements)


def model_hash() -> str:
    return _digest(MODEL_BUILDER.read_bytes(), CORPUS.read_bytes())


@dataclass(frozen=True)
class ServerEnv:
    """Where one kind's built server environment and the shared tiny model live."""

    kind: ServerKind
    root: Path
    model_root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def models_dir(self) -> Path:
        """The server's working directory: BASE_MODEL resolves relative to it."""
        return self.model_root

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


def server_env(kind: str = DEFAULT_KIND) -> ServerEnv:
    server_kind = get_kind(kind)
    root = cache_root()
    return ServerEnv(
        server_kind, root / f"{server_kind.name}-{env_hash(server_kind)}", root / f"model-{model_hash()}"
    )


@contextlib.contextmanager
def _file_lock(target: Path) -> Iterator[None]:
    """One builder of `target` at a time (parallel test sessions, an example started next to the tests)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"{target.name}.lock", "w") as lock:
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
        raise SystemExit(f"setup_server: {name} is required for the local servers (torch CPU wheel is cp311)")
    return found


def _run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def _site_packages(env: ServerEnv) -> Path:
    out = subprocess.run(
        [str(env.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def _pip_check(env: ServerEnv) -> None:
    """`pip check` must be clean except for the kind's known, documented lines."""
    cmd = [str(env.python), "-m", "pip", "--disable-pip-version-check", "check"]
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode == 0:
        print(f"  pip check: {result.stdout.strip()}")
        return
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    unexpected = [line for line in lines if line not in env.kind.known_pip_check_lines]
    for line in lines:
        print(f"  pip check: {line}{'' if line in unexpected else '  (known, see localserver/README.md)'}")
    if unexpected or not lines:
        raise SystemExit(
            f"setup_server: pip check failed for {env.kind.name}:\n{result.stdout}{result.stderr}"
        )


def _build_venv(env: ServerEnv) -> float:
    start = time.perf_counter()
    if env.venv.exists():
        shutil.rmtree(env.venv)
    _run([_find_python(), "-m", "venv", str(env.venv)])
    pip = [str(env.python), "-m", "pip", "--disable-pip-version-check"]
    # The requirements file is a complete freeze: --no-deps installs exactly it (no resolver, so no
    # surprise upgrades on a fresh machine), and `pip check` below proves it is complete.
    # -qq: pip's config lists local extra indexes that lack most packages; one warning per package otherwise.
    _run([*pip, "install", "-qq", "--no-deps", *env.kind.pip_install_args, "-r", str(env.kind.requirements)])
    _pip_check(env)
    if env.kind.typeddict_hook:
        site_packages = _site_packages(env)
        (site_packages / f"{_TYPEDDICT_HOOK_MODULE}.py").write_text(_TYPEDDICT_HOOK)
        (site_packages / f"{_TYPEDDICT_HOOK_MODULE}.pth").write_text(f"import {_TYPEDDICT_HOOK_MODULE}\n")
    # Fail now, not at server start, if the backend cannot even import.
    imports = ", ".join(env.kind.import_check)
    _run([str(env.python), "-c", f"import {imports}"], env=_quiet_env())
    elapsed = time.perf_counter() - start
    marker = {
        "kind": env.kind.name,
        "env_hash": env.root.name.rsplit("-", 1)[1],
        "seconds": round(elapsed, 1),
    }
    env.venv_marker.write_text(json.dumps(marker) + "\n")
    return elapsed


def _build_model(env: ServerEnv) -> float:
    """The model builder needs numpy, safetensors and tokenizers: any kind's venv has them, and the
    output is byte-identical across the kinds' tokenizers versions (checked when skyrl was added)."""
    start = time.perf_counter()
    if env.model_dir.exists():
        shutil.rmtree(env.model_dir)
    _run([str(env.python), str(MODEL_BUILDER), "--corpus", str(CORPUS), "--out", str(env.model_dir)])
    elapsed = time.perf_counter() - start
    marker = {"model_hash": model_hash(), "built_with": env.kind.name, "seconds": round(elapsed, 2)}
    env.model_marker.write_text(json.dumps(marker) + "\n")
    return elapsed


def _quiet_env() -> dict[str, str]:
    return {**os.environ, "JAX_PLATFORMS": "cpu", "HF_HUB_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}


def _model_is_current(env: ServerEnv) -> bool:
    try:
        return bool(json.loads(env.model_marker.read_text())["model_hash"] == model_hash())
    except (OSError, ValueError, KeyError):
        return False


def ensure_server_env(kind: str = DEFAULT_KIND, *, rebuild: bool = False, verbose: bool = False) -> ServerEnv:
    """Return the built environment of `kind`, building whatever is missing or stale."""
    env = server_env(kind)
    if not rebuild and env.venv_marker.exists() and _model_is_current(env):
        if verbose:
            print(f"{env.kind.name}: up to date: {env.root}")
        return env
    with _file_lock(env.root):
        if rebuild and env.root.exists():
            shutil.rmtree(env.root)
        env.root.mkdir(parents=True, exist_ok=True)
        if env.venv_marker.exists():
            print(f"{env.kind.name}: venv reused {env.venv}")
        else:
            print(f"{env.kind.name}: building {env.venv} ({env.kind.description}) ...", flush=True)
            print(f"{env.kind.name}: venv built in {_build_venv(env):.1f}s")
    with _file_lock(env.model_root):
        if _model_is_current(env):
            print(f"model: reused {env.model_dir}")
        else:
            print(f"model: built in {_build_model(env):.2f}s -> {env.model_dir}")
    return env


def _cache_dir_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in sorted(KINDS, key=len, reverse=True))
    # `server-` is the single-kind layout used before the kinds existed.
    return re.compile(rf"^(?:{names}|server|model)-[0-9a-f]{{12}}$")


def prune_stale_envs(keep: list[ServerEnv]) -> None:
    """Delete cached venvs and models that none of `keep` uses (only directories this script names)."""
    root = cache_root()
    if not root.is_dir():
        return
    kept = {env.root for env in keep} | {env.model_root for env in keep}
    kept_kinds = {env.kind.name for env in keep}
    pattern = _cache_dir_pattern()
    for stale in sorted(root.iterdir()):
        if not stale.is_dir() or stale in kept or not pattern.match(stale.name):
            continue
        prefix = stale.name.rsplit("-", 1)[0]
        if prefix in KINDS and prefix not in kept_kinds:
            continue  # a kind that was not selected: leave its current env alone
        print(f"prune: removing {stale}")
        shutil.rmtree(stale, ignore_errors=True)
        (stale.parent / f"{stale.name}.lock").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Build the local Tinker servers' environments and tiny model."
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=sorted(KINDS),
        help="server kind to build (repeatable; default: all kinds)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the cached venvs of these kinds and rebuild"
    )
    parser.add_argument("--prune", action="store_true", help="delete cached venvs/models of other hashes")
    args = parser.parse_args()
    start = time.perf_counter()
    envs = [
        ensure_server_env(kind, rebuild=args.rebuild, verbose=True) for kind in (args.kind or list(KINDS))
    ]
    if args.prune:
        prune_stale_envs(envs)
    for env in envs:
        print(f"{env.kind.name}: python {env.python}")
    print(f"base model: {BASE_MODEL} (cwd {envs[0].models_dir})")
    print(f"tokenizer:  {envs[0].tokenizer_file}")
    print(f"setup took {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()
