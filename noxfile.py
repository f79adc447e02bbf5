"""Every routine task of tinker-ext is a nox session.

nox -s main            the README's main job: a real training loop against a local Tinker server
nox -s tests           unit, parity and end-to-end tests (builds and starts the local server)
nox -s lint            ruff + mypy
nox -s codegen         regenerate generated/ from openapi.yaml
nox -s codegen_check   fail if generated/ differs from what openapi.yaml produces (drift)
nox -s bench           speed and memory against the official tinker SDK, reported as ratios
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["codegen_check", "lint", "tests", "parity_038"]

PYTHON = "3.11"

# Pinned: the generated code is a function of the spec *and* of these two versions.
# grpcio-tools 1.85.1 bundles protoc 35.1: its output needs the protobuf runtime >= 7.35.1 (pyproject).
CODEGEN_DEPS = ["openapi-python-client==0.29.1", "ruff==0.17.6", "grpcio-tools==1.85.1"]
LINT_DEPS = ["ruff==0.17.6", "mypy==2.4.1", "types-PyYAML", "types-jsonschema", "types-protobuf"]
# torch 2.13.0 is a CPU wheel on this kind of machine's disk; a bare "torch" would pull a CUDA build.
TORCH = "torch==2.13.0"
TEST_DEPS = [
    "pytest>=8.3,<9",  # schemathesis loses parametrize ids under pytest 9
    "pytest-timeout>=2.3",
    "openapi-spec-validator==0.9.0",
    "pyyaml>=6",
    "schemathesis==4.32.5",
    "tinker==0.24.1",  # the official SDK, JSON wire: oracle for parity and cross-checks
    "opentelemetry-api>=1.20",  # the `otel` extra
    "opentelemetry-sdk>=1.20",  # its in-memory span exporter checks the spans (tests/unit/test_observe_tracing.py)
]


def _install_package(session: nox.Session, *extras: str) -> None:
    spec = "." if not extras else f".[{','.join(extras)}]"
    if "torch" in extras:
        session.install(TORCH)  # first, so the extra's "torch>=2.2" is already satisfied by the CPU wheel
    session.install("-e", spec)


@nox.session(python=PYTHON)
def codegen(session: nox.Session) -> None:
    """Regenerate generated/ from openapi.yaml (deterministic)."""
    session.install(*CODEGEN_DEPS)
    session.run("python", "codegen/generate.py")


@nox.session(python=PYTHON)
def codegen_check(session: nox.Session) -> None:
    """Regenerate into a temp dir and fail on any difference with generated/."""
    session.install(*CODEGEN_DEPS)
    session.run("python", "codegen/generate.py", "--check")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install(*LINT_DEPS)
    _install_package(session, "torch")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(python=PYTHON)
def server(session: nox.Session) -> None:
    """Build (or reuse) the local servers' environments (skyrl-tx 0.3.0 and skyrl 0.4.0) and the tiny
    model. Posargs go to localserver/setup_server.py, e.g. `nox -s server -- --kind skyrl --prune`."""
    session.run("python", "localserver/setup_server.py", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    # transformers: get_tokenizer() returns its class when installed; the adapter is checked against it.
    # peft: the checkpoint manager's PEFT export is loaded by peft (after the CPU torch: no other torch).
    # ray: tests/integration/test_e2e_ray.py runs tinker_ext.ray on a local Ray cluster (ray.init(num_cpus=2)).
    _install_package(session, "torch", "transformers", "peft", "ray")
    session.install(*TEST_DEPS)
    session.run("python", "localserver/setup_server.py")
    # The contract tests compare their per-generation verdicts with what the official 0.38 SDK really does
    # on each local server; 0.38 cannot share this venv with the 0.24.1 oracle, so it gets one of its own.
    sdk038 = Path(session.virtualenv.location).parent / "_tinker-0.38"
    if not (sdk038 / "bin" / "python").exists():
        session.run("python", "-m", "venv", str(sdk038))
    session.run(str(sdk038 / "bin" / "python"), "-m", "pip", "install", "-q", "tinker==0.38.0", external=True)
    session.run(
        "pytest", "-ra", *session.posargs, env={"TINKER_EXT_SDK038_PYTHON": str(sdk038 / "bin" / "python")}
    )


@nox.session(python=PYTHON)
def parity_038(session: nox.Session) -> None:
    """Parity with the official SDK 0.38: JSON bodies through the spec, protobuf bodies through our codec
    (its own venv: 0.38 cannot share one with the 0.24.1 oracle of `tests`, where tests/parity_038 skips)."""
    _install_package(session)
    session.install("pytest>=8.3,<9", "pytest-timeout>=2.3", "tinker==0.38.0")
    session.run("pytest", "tests/parity_038", "-q", *session.posargs)


@nox.session(python=PYTHON)
def main(session: nox.Session) -> None:
    """The main job: supervised fine-tuning of a tiny model against a real local Tinker server
    (or against TINKER_BASE_URL when set)."""
    _install_package(session)
    if not os.environ.get("TINKER_BASE_URL"):
        session.run("python", "localserver/setup_server.py")
    session.run("python", "examples/sft_loop.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory of tinker_ext vs tinker==0.24.1 as ratios (benchmarks/README.md); writes
    .bench/results.json. Posargs go to benchmarks/run.py, e.g. `nox -s bench -- --reps 3 --only e2e`."""
    _install_package(session, "torch")
    session.install("tinker==0.24.1")
    session.run("python", "benchmarks/run.py", *session.posargs)
    # The protobuf codec against tinker 0.38, which cannot share a venv with 0.24.1: a venv of its own.
    venv = Path(".bench/venv-tinker-0.38")
    if not (venv / "bin" / "python").exists():
        session.run("python", "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    session.run(python, "-m", "pip", "install", "-q", "-e", ".", "tinker==0.38.0", "zstandard", external=True)
    session.run(python, "benchmarks/proto_codec.py", external=True)
    # 1,000 and 10,000 concurrent samples, each SDK in its own venv and process (benchmarks/throughput.py).
    session.run("python", "benchmarks/throughput.py", "--official-python", python)
    # Issue 12 rows: a 1 GB forward_backward and startup, each SDK in its own process (ours: this venv).
    session.run("python", "benchmarks/big_batch.py")
    session.run("python", "benchmarks/startup.py")
    # A ~200 MB JSON sample answer: peak RSS growth / body (0.38 cannot read JSON samples: vs 0.24.1).
    session.run("python", "benchmarks/json_answer.py")
    # One table of every row above, from .bench/results.json: 0.38 (or 0.24.1) / ours / ratio / floor.
    session.run("python", "benchmarks/summary.py")
