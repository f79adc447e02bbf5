"""The tinker-ext CLI driven against the real local server (click's CliRunner, JSON output)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

import tinker_ext as tinker
from tinker_ext.cli import cli
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

pytestmark = pytest.mark.integration


def resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


@pytest.fixture(scope="module")
def run_with_checkpoints(tinker_server):
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    training = resolved(
        service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=2)
    )
    state = resolved(training.save_state("cli_state")).path
    sampler = resolved(training.save_weights_for_sampler("cli_sampler")).path
    yield ParsedCheckpointTinkerPath.from_tinker_path(state).training_run_id, state, sampler
    service.close()


@pytest.fixture
def run_cli(tinker_server):
    def invoke(*args: str, expect: int | None = 0) -> Any:
        result = CliRunner().invoke(
            cli,
            ["--base-url", tinker_server.base_url, "--api-key", tinker_server.api_key, "-f", "json", *args],
        )
        if expect is not None:
            assert result.exit_code == expect, f"stdout={result.stdout!r} stderr={result.stderr!r}"
        if len(tinker_server.api_key) >= 8:  # a short key could appear by coincidence
            assert tinker_server.api_key not in result.output
        return result

    return invoke


def test_run_list_and_info(run_cli, run_with_checkpoints, tinker_server):
    run_id, _, _ = run_with_checkpoints
    runs = json.loads(run_cli("run", "list", "--limit", "0").stdout)["training_runs"]
    assert run_id in [r["training_run_id"] for r in runs]
    info = json.loads(run_cli("run", "info", run_id).stdout)["training_run"]
    assert info["base_model"] == tinker_server.base_model
    assert info["lora_rank"] == 4


def test_checkpoint_list_and_info(run_cli, run_with_checkpoints):
    run_id, state, sampler = run_with_checkpoints
    listed = json.loads(run_cli("checkpoint", "list", "--run-id", run_id).stdout)["checkpoints"]
    canonical = {ParsedCheckpointTinkerPath.from_tinker_path(c["tinker_path"]).canonical_path for c in listed}
    assert ParsedCheckpointTinkerPath.from_tinker_path(sampler).canonical_path in canonical
    assert ParsedCheckpointTinkerPath.from_tinker_path(state).canonical_path in canonical
    everything = json.loads(run_cli("checkpoint", "list", "--limit", "0").stdout)["checkpoints"]
    assert {c["tinker_path"] for c in listed} <= {c["tinker_path"] for c in everything}
    info = json.loads(run_cli("checkpoint", "info", state).stdout)
    assert info["checkpoint"]["checkpoint_type"] == "training"
    assert info["training_run"]["training_run_id"] == run_id


def test_checkpoint_download(run_cli, run_with_checkpoints, tmp_path):
    _, _, sampler = run_with_checkpoints
    document = json.loads(run_cli("checkpoint", "download", sampler, "-o", str(tmp_path)).stdout)
    assert document["bytes"] > 0
    files = [p for p in (tmp_path / document["path"].split("/")[-1]).rglob("*") if p.is_file()]
    assert files
    again = run_cli("checkpoint", "download", sampler, "-o", str(tmp_path), expect=1)
    assert again.stderr.startswith("Error: ") and "already exists" in again.stderr
    run_cli("checkpoint", "download", sampler, "-o", str(tmp_path), "--force")


def test_checkpoint_delete(run_cli, run_with_checkpoints, tinker_server):
    run_id, state, _ = run_with_checkpoints
    result = run_cli("checkpoint", "delete", "-y", state, expect=None)
    document = json.loads(result.stdout)
    listed = json.loads(run_cli("checkpoint", "list", "--run-id", run_id).stdout)["checkpoints"]
    still_there = state in {c["tinker_path"] for c in listed}
    if result.exit_code == 0:  # the server implements DELETE
        assert document == {"deleted_count": 1, "deleted": [state], "failed": []}
        assert not still_there
    else:  # skyrl-tx 0.3.0 has no DELETE route: the failure must be reported cleanly, as a missing route
        assert result.exit_code == 1
        assert document["deleted_count"] == 0
        assert document["failed"][0]["tinker_path"] == state
        assert document["failed"][0]["error"].startswith(
            f"The server at {tinker_server.base_url} does not implement DELETE /api/v1/training_runs/"
        )
        assert still_there


def test_model_list(run_cli, tinker_server):
    models = json.loads(run_cli("model", "list").stdout)["models"]
    assert tinker_server.base_model in [m["model_name"] for m in models]


def test_sample_base_model(run_cli, tinker_server):
    document = json.loads(
        run_cli(
            "sample",
            "--base-model",
            tinker_server.base_model,
            "--prompt-tokens",
            "3,4,5",
            "--max-tokens",
            "4",
            "-n",
            "2",
            "--seed",
            "1",
        ).stdout
    )
    assert document["prompt_tokens"] == [3, 4, 5]
    assert len(document["completions"]) == 2
    for completion in document["completions"]:
        assert 1 <= len(completion["tokens"]) <= 4
        assert completion["stop_reason"] in ("length", "stop")


def test_sample_from_sampler_checkpoint(run_cli, run_with_checkpoints):
    _, _, sampler = run_with_checkpoints
    document = json.loads(
        run_cli("sample", "--model-path", sampler, "--prompt-tokens", "7 8", "--max-tokens", "3").stdout
    )
    assert len(document["completions"]) == 1


def test_unknown_run_is_a_clean_error(run_cli):
    result = run_cli("run", "info", "no_such_run", expect=1)
    assert result.stderr.startswith("Error: Resource not found (HTTP 404)")
    assert result.stdout == ""
