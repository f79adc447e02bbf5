"""The CLI as a newcomer meets it, against the real local servers: no "Unclosed client session" noise
(`-W error::ResourceWarning` in a real process), options after the command, lists newest first with the
server's total, a 404 on a route the server lacks said as such, and `contract check` leaving no
checkpoints behind (counted on the server before and after)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tinker_ext as tinker
from tinker_ext.cli import cli

REPO_ROOT = Path(__file__).resolve().parents[2]
# The generation each local server kind can serve (tests/integration/test_e2e_contract.py).
SUPPORTED_GENERATION = {"json": "json", "protobuf": "0.25"}


def tinker_ext_process(tinker_server: Any, *args: str) -> subprocess.CompletedProcess[str]:
    """`tinker-ext ARGS` in its own interpreter, every ResourceWarning an error."""
    env = {**os.environ, "TINKER_BASE_URL": tinker_server.base_url, "TINKER_API_KEY": tinker_server.api_key}
    return subprocess.run(
        [
            sys.executable,
            "-W",
            "error::ResourceWarning",
            "-c",
            "from tinker_ext.cli import main; main()",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )


def server_checkpoints(tinker_server: Any) -> list[str]:
    """Every checkpoint the server lists, across all its training runs."""
    with tinker.RestClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as rest:
        runs = rest.list_training_runs(limit=1000).result().training_runs
        return [
            c.tinker_path for r in runs for c in rest.list_checkpoints(r.training_run_id).result().checkpoints
        ]


def test_cli_processes_close_everything_and_take_options_after_the_command(tinker_server: Any) -> None:
    runs = tinker_ext_process(tinker_server, "run", "list", "--format", "json")
    assert runs.returncode == 0, runs.stderr
    assert isinstance(json.loads(runs.stdout)["total"], int)
    results = {
        command: tinker_ext_process(tinker_server, *command.split())
        for command in ("model list", "checkpoint list", "auth status", "session list", "auth whoami")
    }
    for command, result in {"run list --format json": runs, **results}.items():
        assert "Unclosed" not in result.stderr and "ResourceWarning" not in result.stderr, (
            command,
            result.stderr,
        )
        assert tinker_server.api_key not in result.stdout + result.stderr
    assert results["model list"].returncode == 0 and tinker_server.base_model in results["model list"].stdout
    assert results["auth status"].returncode == 0
    if tinker_server.is_local:  # neither local server has GET /api/v1/sessions
        assert results["session list"].returncode == 1
        assert results["session list"].stderr == (
            f"Error: The server at {tinker_server.base_url} does not implement GET /api/v1/sessions (HTTP 404: "
            "no such route); this command needs a server that has it, such as the hosted service\n"
        )


def test_a_new_run_is_listed_first_and_its_training_checkpoint_archive_explained(
    tinker_server: Any, tmp_path: Path
) -> None:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as service:
        newest = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4)
        newest_id = newest.save_state("newcomer").result().path.split("/")[2]
        with pytest.raises(tinker.InvalidInputError, match="does not serve base model 'Qwen/Qwen3-8B'"):
            service.create_lora_training_client(base_model="Qwen/Qwen3-8B", rank=4)
        with service.create_rest_client() as rest:
            server_total = rest.list_training_runs(limit=1).result().cursor.total_count
    args = ["--base-url", tinker_server.base_url, "--api-key", tinker_server.api_key]
    listed = CliRunner().invoke(cli, ["run", "list", "--limit", "1", "-f", "json", *args])
    document = json.loads(listed.stdout)
    assert document["total"] == server_total >= 1
    assert [r["training_run_id"] for r in document["training_runs"]] == [newest_id]
    table = CliRunner().invoke(cli, [*args, "run", "list", "--limit", "1"])
    assert table.stdout.startswith(f"1 of {server_total} training run(s), most recently used first\n")
    if tinker_server.kind == "skyrl":  # skyrl 0.4.0 archives sampler checkpoints only
        state = f"tinker://{newest_id}/weights/newcomer"
        download = CliRunner().invoke(cli, [*args, "checkpoint", "download", state, "-o", str(tmp_path)])
        assert download.exit_code == 1
        assert download.stderr.startswith(
            f"Error: the server lists {state} ('tinker-ext checkpoint info' shows it)"
        )
        assert "archive only sampler checkpoints" in download.stderr


def test_contract_check_leaves_no_checkpoints_behind(tinker_server: Any) -> None:
    generation = SUPPORTED_GENERATION.get(tinker_server.wire or "")
    if generation is None:
        pytest.skip("the server's wire is unknown")
    before = server_checkpoints(tinker_server)
    args = [
        "contract",
        "check",
        "--generation",
        generation,
        "--base-model",
        tinker_server.base_model,
        "-f",
        "json",
    ]
    result = CliRunner().invoke(
        cli, ["--base-url", tinker_server.base_url, "--api-key", tinker_server.api_key, *args]
    )
    assert result.exit_code == 0, result.output
    cleanup = json.loads(result.stdout)["cleanup"]
    after = server_checkpoints(tinker_server)
    # Every checkpoint the check made is either deleted or reported as left with the reason (skyrl-tx
    # 0.3.0 has no checkpoint delete route; skyrl 0.4.0 deletes them all).
    not_deleted = {
        line.split(": delete answered ")[0] for line in cleanup["left"] if ": delete answered " in line
    }
    assert set(after) - set(before) == not_deleted
    assert cleanup["kept"] is False and (cleanup["removed"] or not_deleted)
    assert not set(cleanup["removed"]) & set(after)
    if tinker_server.kind == "skyrl":
        assert sorted(after) == sorted(before) and cleanup["removed"]
    if tinker_server.kind == "skyrl-tx":
        assert all(
            "no checkpoint delete route" in line for line in cleanup["left"] if ": delete answered " in line
        )
    # What the API cannot delete is named, with the reason.
    assert any(
        line.startswith("training run ") and "no request that deletes" in line for line in cleanup["left"]
    )
