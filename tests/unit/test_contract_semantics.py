"""The contract tester's semantic checks against in-process servers that really train: every check passes on a
server that computes what the Tinker API promises (tinker_ext.testing.TinkerTestServer, over loopback),
and each fails (tests/unit/_semantic_server.py, whose knobs add one deviation at a time), naming the measurement and the workloads it breaks, on the deviation measured on a real server
(skyrl's weight normalisation and snapshot rewind, tuft's shared model and weight-blind sampler)."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from tests.unit._semantic_server import SemanticKnobs, SemanticTinker
from tests.unit.contract_mock import BASE_MODEL
from tinker_ext.contract import ContractReport, Outcome, check_matrix, check_server
from tinker_ext.testing import TinkerTestServer

BASE_URL = "http://tinker.test"
CHECKS = [
    "semantics: CE weight linearity",
    "semantics: advantage linearity (importance_sampling)",
    "semantics: built-in losses at ratio 1",
    "semantics: model isolation",
    "semantics: sampler follows the weights",
    "semantics: snapshot isolation",
]


def run(knobs: SemanticKnobs) -> ContractReport:
    server = SemanticTinker(knobs)
    report = check_server(
        BASE_URL, None, BASE_MODEL, generation_name="json", timeout=5.0, transport=server.transport()
    )
    assert server.request_errors == []  # every request the checks sent is valid under the spec
    return report


def semantic_outcomes(report: ContractReport) -> dict[str, Outcome]:
    return {s.name: s.outcome for s in report.steps if s.name in CHECKS}


def workloads(report: ContractReport) -> dict[str, bool | None]:
    return {w.workload: w.ok for w in report.workloads}


def test_a_server_that_computes_what_tinker_promises_passes_every_semantic_check() -> None:
    with TinkerTestServer() as server:
        report = check_server(
            server.base_url, server.api_key, server.base_model, generation_name="json", timeout=5.0
        )
    assert semantic_outcomes(report) == dict.fromkeys(CHECKS, Outcome.PASS)
    assert set(workloads(report).values()) == {True}
    # the measurements are in the report: linear changes within a fraction of a percent
    detail = report.step("semantics: CE weight linearity").detail
    assert "2w: |Δlogprob|" in detail and "off by 0%" in detail
    assert "untouched client moved by 0" in report.step("semantics: model isolation").detail
    assert report.passed  # semantic checks judge workloads, not the client generation
    facts = report.server_facts
    assert facts is not None
    assert (facts.ce_weights, facts.advantages, facts.snapshot_rewinds) == ("sum", "sum", False)


def test_weight_normalisation_and_snapshot_rewind_fail_the_workloads_they_break() -> None:
    # skyrl 0.4.0 and skyrl-tx 0.3.0 (measured on both: tests/integration/test_e2e_contract_semantics.py)
    report = run(SemanticKnobs(normalise=True, rewind=True))
    outcomes = semantic_outcomes(report)
    assert outcomes == {
        "semantics: CE weight linearity": Outcome.FAIL,
        "semantics: advantage linearity (importance_sampling)": Outcome.FAIL,
        "semantics: built-in losses at ratio 1": Outcome.FAIL,
        "semantics: model isolation": Outcome.PASS,
        "semantics: sampler follows the weights": Outcome.PASS,
        "semantics: snapshot isolation": Outcome.FAIL,
    }
    linearity = {v.pointer or v.where: v.got for v in report.step("semantics: CE weight linearity").errors}
    assert len(linearity) == 3  # 2w, −w and the duplicated datum
    assert workloads(report) == {
        "SFT": True,
        "weighted SFT / custom loss": False,
        "RL on-policy": False,
        "RL off-policy / DPO": False,
    }
    dpo = next(w for w in report.workloads if w.workload == "RL off-policy / DPO")
    assert any("rewound to the snapshot" in b for b in dpo.blockers)
    assert report.passed  # the JSON client still talks to it
    facts = report.server_facts
    assert facts is not None  # what the SDK acts on (forward_backward_custom, snapshot warning)
    assert (facts.ce_weights, facts.advantages, facts.snapshot_rewinds) == (
        "datum_normalised",
        "token_mean_batch_mean",
        True,
    )
    assert not any("semantics" in c for c in report.verdict.caveats)


def test_weight_normalisation_alone_breaks_only_the_weight_checks() -> None:
    report = run(SemanticKnobs(normalise=True))
    assert semantic_outcomes(report)["semantics: snapshot isolation"] is Outcome.PASS
    assert semantic_outcomes(report)["semantics: CE weight linearity"] is Outcome.FAIL


def test_tuft_shared_model_and_weight_blind_sampler_fail_isolation_and_sampler_checks() -> None:
    report = run(SemanticKnobs(shared_model=True, sampler_ignores_weights=True, ignore_weights=True))
    outcomes = semantic_outcomes(report)
    assert outcomes["semantics: model isolation"] is Outcome.FAIL
    assert outcomes["semantics: sampler follows the weights"] is Outcome.FAIL
    assert outcomes["semantics: CE weight linearity"] is Outcome.FAIL  # weights ignored
    assert "untouched client moved by" in report.step("semantics: model isolation").errors[0].got
    assert set(workloads(report).values()) == {False}


@pytest.mark.parametrize(
    ("knobs", "failing"),
    [
        # a shared model also spoils the "fresh model" the linearity checks start from
        (SemanticKnobs(shared_model=True), [*CHECKS[:3], "semantics: model isolation"]),
        (SemanticKnobs(sampler_ignores_weights=True), ["semantics: sampler follows the weights"]),
        (SemanticKnobs(rewind=True), ["semantics: snapshot isolation"]),
    ],
)
def test_each_deviation_alone_fails_its_check(knobs: SemanticKnobs, failing: list[str]) -> None:
    outcomes = semantic_outcomes(run(knobs))
    assert [name for name, o in outcomes.items() if o is not Outcome.PASS] == failing


def test_matrix_runs_the_semantic_checks_once_and_reports_workloads() -> None:
    server = SemanticTinker(SemanticKnobs(rewind=True))
    matrix = check_matrix(BASE_URL, None, BASE_MODEL, timeout=5.0, transport=server.transport())
    ran = [r.generation for r in matrix.reports if r.workloads]
    assert ran == ["json"]  # the first generation that trains; protobuf ones are not modelled by this server
    document = json.loads(json.dumps(matrix.to_json()))
    assert {w["workload"]: w["ok"] for w in document["workloads"]}["RL off-policy / DPO"] is False
    console = Console(record=True, width=160)
    matrix.render(console)
    text = console.export_text()
    assert "Which training workloads compute what the Tinker API promises" in text
    assert "snapshot isolation" in text


def test_cli_keeps_the_measured_server_facts_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import tinker_ext.contract as contract_package
    from tinker_ext._session.server_facts import facts_file, load_server_facts
    from tinker_ext.cli import cli
    from tinker_ext.contract import _check

    server = SemanticTinker(SemanticKnobs(normalise=True, rewind=True))
    real = _check.check_server
    monkeypatch.setattr(
        contract_package, "check_server", lambda *a, **kw: real(*a, **kw, transport=server.transport())
    )
    args = ["contract", "check", "--base-url", BASE_URL, "--base-model", BASE_MODEL, "--generation", "json"]
    skipped = CliRunner().invoke(cli, [*args, "--no-semantics", "--format", "json"], catch_exceptions=False)
    assert json.loads(skipped.stdout)["workloads"] == [] and not facts_file(BASE_URL).exists()
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0  # the generation can use the server; the workloads say what breaks
    assert f"server facts for the SDK: {facts_file(BASE_URL)}" in result.stderr
    facts = load_server_facts(BASE_URL)
    assert facts is not None and facts.snapshot_rewinds and facts.ce_weights == "datum_normalised"
