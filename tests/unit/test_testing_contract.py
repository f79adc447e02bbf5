"""tinker_ext.testing is the reference implementation of `tinker-ext contract`: the matrix says every client
generation can use it and every step and semantic check passes; the official SDKs (0.24.1 in the tests
venv, 0.38 from TINKER_EXT_SDK038_PYTHON) run a training script against it without one failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tinker_ext.cli import cli
from tinker_ext.testing import TinkerTestServer

pytestmark = pytest.mark.timeout(300)
FLOW = Path(__file__).resolve().parent / "_official_sdk_flow.py"
SDK038_PYTHON = os.environ.get("TINKER_EXT_SDK038_PYTHON")


@pytest.fixture(scope="module")
def server() -> Iterator[TinkerTestServer]:
    with TinkerTestServer() as running:
        yield running


def test_contract_matrix_every_generation_every_step_and_semantic_check(server: TinkerTestServer) -> None:
    args = ["--api-key", server.api_key, "contract", "matrix", "--base-url", server.base_url]
    result = CliRunner().invoke(
        cli, [*args, "--base-model", server.base_model, "--timeout", "30", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    generations = {g["generation"]: g for g in document["generations"]}
    assert set(generations) == {"json", "0.24", "0.25", "0.38"}
    for name, generation in generations.items():
        assert generation["supported"], (name, generation)
        failed = {step: outcome for step, outcome in generation["steps"].items() if outcome != "PASS"}
        assert not failed, (name, failed)
    semantics = [s for g in generations.values() for s in g["steps"] if s.startswith("semantics: ")]
    assert len(semantics) == 7  # run once, in the first generation that trains, and all passed above
    assert {w["workload"]: w["ok"] for w in document["workloads"]} == {
        "SFT": True,
        "weighted SFT / custom loss": True,
        "RL on-policy": True,
        "RL off-policy / DPO": True,
    }
    assert server.api_key not in result.output


def _official_flow(python: str, server: TinkerTestServer) -> dict[str, str]:
    env = {
        "TINKER_API_KEY": server.api_key,
        "PATH": "/usr/bin:/bin",
        "TINKER_TELEMETRY": "0",
        "HF_HUB_OFFLINE": "1",
    }
    result = subprocess.run(
        [python, str(FLOW), server.base_url, server.base_model],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    outcome: dict[str, str] = json.loads(lines[-1])
    return outcome


def test_the_official_024_sdk_runs_a_training_script_on_it(server: TinkerTestServer) -> None:
    tinker = pytest.importorskip("tinker")
    if not tinker.__version__.startswith("0.24"):
        pytest.skip("the tests venv holds the official tinker 0.24.1")
    outcome = _official_flow(sys.executable, server)
    assert outcome and set(outcome.values()) == {"ok"}, outcome
    assert {"sample_follows_training", "create_training_client_from_state", "get_tokenizer"} <= set(outcome)


def test_the_official_038_sdk_runs_a_training_script_on_it(server: TinkerTestServer) -> None:
    if SDK038_PYTHON is None:
        pytest.skip("set TINKER_EXT_SDK038_PYTHON to a python with tinker==0.38.0 (e.g. the parity_038 venv)")
    outcome = _official_flow(SDK038_PYTHON, server)
    assert outcome and set(outcome.values()) == {"ok"}, outcome
    assert {"sample_follows_training", "create_training_client_from_state", "get_tokenizer"} <= set(outcome)
