"""A contract check removes what it created (checkpoints deleted, models unloaded, session finished)
unless `keep`, and reports what is left and why (tests/unit/contract_mock.py, in process)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.unit.contract_mock import BASE_MODEL, MockTinker
from tinker_ext.contract import check_matrix, check_server
from tinker_ext.contract._check import GENERATION_NAMES

BASE_URL = "http://tinker.test"
SECRET = "tml-contract-cleanup-key"


def stored(server: MockTinker) -> list[str]:
    return [c["tinker_path"] for checkpoints in server.checkpoints.values() for c in checkpoints]


def test_the_check_deletes_its_checkpoints_and_reports_what_it_left() -> None:
    server = MockTinker()
    report = check_server(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        generation_name="0.25",
        timeout=5.0,
        transport=server.transport(),
        semantics=False,  # the semantic checks' own models: the next test
    )  # type: ignore[arg-type]
    assert report.cleanup is not None and not report.cleanup.kept
    assert stored(server) == []
    # The sampler checkpoint (the check's own delete step already removed the saved state).
    assert [p.split("/")[-2] for p in report.cleanup.removed] == ["sampler_weights"]
    assert server.unloaded == ["session-1:train:0", "session-1:train:1"]
    assert server.finished_sessions == ["session-1"]
    runs = [line for line in report.cleanup.left if line.startswith("training run ")]
    assert runs and all("no request that deletes a training run" in line for line in runs)
    assert any(line.startswith("session ") for line in report.cleanup.left)
    assert report.to_json()["cleanup"]["removed"] == list(report.cleanup.removed)


def test_the_semantic_checks_models_leave_no_checkpoints_either() -> None:
    server = MockTinker()
    report = check_server(
        BASE_URL, SECRET, BASE_MODEL, generation_name="0.25", timeout=5.0, transport=server.transport()
    )  # type: ignore[arg-type]
    assert report.cleanup is not None and not report.cleanup.kept
    lab_models = [u for u in server.unloaded if u not in ("session-1:train:0", "session-1:train:1")]
    assert lab_models, "the semantic checks created no model of their own"
    assert stored(server) == []  # their sampler snapshots included
    assert all(any(m in line for line in report.cleanup.left) for m in lab_models)


def test_keep_leaves_everything_and_says_so() -> None:
    server = MockTinker()
    report = check_server(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        generation_name="0.25",
        timeout=5.0,
        transport=server.transport(),
        keep=True,  # type: ignore[arg-type]
        semantics=False,  # (the semantic checks unload their scratch models themselves)
    )
    assert report.cleanup is not None and report.cleanup.kept
    assert stored(server) and report.cleanup.removed == ()  # (its own delete step removed one)
    assert server.unloaded == [] and server.finished_sessions == []
    assert all(line.endswith("kept (--keep)") for line in report.cleanup.left)


def test_matrix_reports_progress_and_cleanup_per_generation() -> None:
    server = MockTinker()
    seen: list[tuple[str, str]] = []
    matrix = check_matrix(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        timeout=5.0,
        transport=server.transport(),  # type: ignore[arg-type]
        on_step=lambda generation, step: seen.append((generation, step)),
    )
    assert stored(server) == []
    assert [g for g, _ in seen[:1]] == ["json"] and ("0.38", "create_model") in seen
    document = matrix.to_json()
    assert all(g["cleanup"]["removed"] for g in document["generations"])
    json.dumps(document)  # stays a plain JSON document


def test_cli_keep_flag_reaches_the_check(monkeypatch) -> None:
    from tinker_ext import contract as contract_package
    from tinker_ext.cli import cli

    calls: list[bool] = []
    real = contract_package.check_server

    def recording(*args, **kwargs):
        calls.append(kwargs["keep"])
        return real(*args, **{**kwargs, "transport": MockTinker().transport(), "timeout": 5.0})

    monkeypatch.setattr(contract_package, "check_server", recording)
    base = ["contract", "check", "--base-url", BASE_URL, "--api-key", SECRET, "--base-model", BASE_MODEL]
    for extra in ([], ["--keep"]):
        result = CliRunner().invoke(cli, [*base, "--generation", "0.25", "--format", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        assert json.loads(result.stdout)["cleanup"]["kept"] is bool(extra)
    assert calls == [False, True]


def test_piped_output_is_plain_lines_with_the_cleanup(monkeypatch) -> None:
    """Not a terminal: no box-drawing table, one step or reason per line (the verdict is no longer one
    line of hundreds of columns)."""
    from tinker_ext import contract as contract_package
    from tinker_ext.cli import cli

    real = contract_package.check_matrix

    def on_mock(*args, **kwargs):
        return real(*args, **{**kwargs, "transport": MockTinker().transport(), "timeout": 5.0})

    monkeypatch.setattr(contract_package, "check_matrix", on_mock)
    args = ["contract", "matrix", "--base-url", BASE_URL, "--api-key", SECRET, "--base-model", BASE_MODEL]
    result = CliRunner(env={"TTY_COMPATIBLE": "0", "FORCE_COLOR": None}).invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Which Tinker clients can use {BASE_URL} ({BASE_MODEL})"
    assert "SDK 0.25 (protobuf): yes" in lines
    assert sum(line.startswith("Clean-up (") for line in lines) == len(GENERATION_NAMES)
    assert "Which training workloads compute what the Tinker API promises" in lines
    assert not any(ch in result.stdout for ch in "┃│┏")

    report = check_server(
        BASE_URL, SECRET, BASE_MODEL, generation_name="json", timeout=5.0, transport=MockTinker().transport()
    )  # type: ignore[arg-type]
    plain = report.plain_lines()
    outcome, step = plain[1].split()[:2]
    assert step == "client_config" and outcome in {"PASS", "FAIL", "NOT_IMPLEMENTED", "SKIPPED"}
    assert any(line.startswith("Clean-up: removed") for line in plain)
