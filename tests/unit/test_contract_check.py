"""tinker_ext.contract.check_server / check_matrix against in-process servers (tests/unit/contract_mock.py):
a conforming one (every generation passes, every request valid under the spec), the behaviours of the four
real servers of docs/SERVERS.md (the verdict per generation must be what the real SDKs do there, for the same
reason), and single-defect variants the report must pinpoint."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from rich.console import Console

from tests.unit.contract_mock import (
    BASE_MODEL,
    HATCHERY_030,
    SKYRL_040,
    SKYRL_TX_030,
    TUFT_022,
    Json,
    Knobs,
    MockTinker,
)
from tinker_ext.contract import ContractReport, Outcome, check_matrix, check_server

BASE_URL = "http://tinker.test"
SECRET = "tml-contract-secret-key"


def run_check(server: MockTinker, generation: str = "0.38") -> ContractReport:
    return check_server(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        generation_name=generation,
        timeout=5.0,
        transport=server.transport(),  # type: ignore[arg-type]
        semantics=False,
    )


def outcomes(report: ContractReport) -> dict[str, Outcome]:
    return {step.name: step.outcome for step in report.steps}


def only_violation(report: ContractReport, step: str) -> Any:
    errors = report.step(step).errors
    assert len(errors) == 1, errors
    return errors[0]


def supported(server_knobs: Knobs) -> dict[str, bool]:
    matrix = check_matrix(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        timeout=5.0,
        transport=MockTinker(server_knobs).transport(),
        semantics=False,
    )
    return {r.generation: r.passed for r in matrix.reports}


# ---------------------------------------------------------------------- conforming server


@pytest.mark.parametrize("generation", ["json", "0.24", "0.25", "0.38"])
def test_conforming_server_passes_every_step_with_spec_valid_requests(generation: str) -> None:
    server = MockTinker()
    report = run_check(server, generation)
    assert server.request_errors == []  # everything the check sent is valid under the spec
    assert server.seen_keys == {SECRET}
    assert {name: o for name, o in outcomes(report).items() if o is not Outcome.PASS} == {}
    assert [(s.name, v.one_line()) for s in report.steps for v in s.violations] == []
    assert report.passed and report.verdict.blockers == ()
    # the generation's own wire: JSON bodies, or protobuf zstd-compressed as client/config asked
    expected = {"json": {"json"}, "0.24": {"json"}, "0.25": {"protobuf+zstd"}, "0.38": {"protobuf+zstd"}}[
        generation
    ]
    assert set(server.fwd_bodies) == expected
    assert report.step("duplicate checkpoint name").detail == "overwritten"
    assert report.step("idempotency-key replay").detail.startswith("honoured")


def test_each_generation_sends_its_own_fields() -> None:
    sent: dict[str, list[Json]] = {}

    class Recording(MockTinker):
        def handle(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith(
                ("/create_model", "/asample", "/save_weights_for_sampler", "/load_weights")
            ):
                sent.setdefault(self.generation, []).append(json.loads(request.content))
            return super().handle(request)

    for generation in ("json", "0.25", "0.38"):
        server = Recording()
        server.generation = generation  # type: ignore[attr-defined]
        run_check(server, generation)
    keys = {gen: set().union(*(set(body) for body in bodies)) for gen, bodies in sent.items()}
    only_038 = {
        "optimizer_config",
        "topk_sample_logprobs",
        "prompt_alt_tokens_k",
        "record_stability_info",
        "kind",
    }
    assert only_038 <= keys["0.38"]
    assert not only_038 & keys["0.25"] and not only_038 & keys["json"]
    # 0.38 creates the training client from a checkpoint by loading; older ones load into a fresh model
    loads = {gen: next(b for b in bodies if b.get("type") == "load_weights") for gen, bodies in sent.items()}
    assert loads["0.38"]["session_id"] and "model_id" not in loads["0.38"]
    assert loads["0.25"]["model_id"].endswith(":train:1") and loads["0.25"]["seq_id"] == 1


# ---------------------------------------------------------------------- the four real servers


def test_skyrl_tx_030_only_the_json_wire() -> None:
    server = MockTinker(SKYRL_TX_030)
    assert supported(SKYRL_TX_030) == {"json": True, "0.24": False, "0.25": False, "0.38": False}
    report = run_check(server, "0.25")
    assert report.verdict.blockers[0].startswith("client_config: NOT_IMPLEMENTED")
    assert "POST /api/v1/client/config → 404" in report.verdict.blockers[0]
    fwd = report.step("forward_backward").errors[0]
    assert "protobuf+zstd body" in fwd.where or "protobuf body" in fwd.where
    legacy = run_check(MockTinker(SKYRL_TX_030), "json")
    assert any("client_config" in c and "0.18-0.24" in c for c in legacy.verdict.caveats)
    # the official SDK 0.18-0.24 stop at the missing client/config (measured: 0.24.1 on skyrl-tx 0.3.0)
    official = run_check(MockTinker(SKYRL_TX_030), "0.24")
    assert [b.split(":")[0] for b in official.verdict.blockers] == ["client_config"]


def test_skyrl_040_025_works_038_blocked_by_sample_sequence_ids_and_create_via_load() -> None:
    assert supported(SKYRL_040) == {"json": False, "0.24": False, "0.25": True, "0.38": False}
    report = run_check(MockTinker(SKYRL_040), "0.38")
    assert [b.split(":")[0] for b in report.verdict.blockers] == [
        "asample (base model)",
        "asample (saved sampler path)",
        "create_training_client_from_state",
    ]
    assert all("/sample_sequence_ids" in b for b in report.verdict.blockers[:2])
    assert "body.model_id: Field required" in report.verdict.blockers[2]
    legacy = run_check(MockTinker(SKYRL_040), "json")
    assert legacy.verdict.blockers[0].startswith("forward_backward: POST /api/v1/forward_backward → 415")
    # tolerated by both SDKs: 204 DELETE, optim metrics without `:reduction`, no load into a trained model
    v025 = run_check(MockTinker(SKYRL_040), "0.25")
    states = outcomes(v025)
    assert states["delete_checkpoint"] is Outcome.PASS and v025.step("delete_checkpoint").http_status == 204
    assert {w.rule for w in v025.step("optim_step").warnings} == {"metrics:key"}
    assert states["load_weights into a trained model"] is Outcome.PASS
    assert [w.rule for w in v025.step("load_weights into a trained model").warnings] == [
        "load_weights:trained-model"
    ]
    assert any("optim_step: metrics:key" in c for c in v025.verdict.caveats)


def test_tuft_022_201_session_and_038_fields_refused() -> None:
    assert supported(TUFT_022) == {"json": False, "0.24": False, "0.25": True, "0.38": False}
    v025 = run_check(MockTinker(TUFT_022), "0.25")
    assert v025.step("create_session").http_status == 201
    report = run_check(MockTinker(TUFT_022), "0.38")
    first = report.verdict.blockers[0]
    assert first.startswith("create_model: POST /api/v1/create_model → 422")
    assert "body.optimizer_config: Extra inputs are not permitted" in first


def test_hatchery_030_protobuf_500_and_broken_behaviour() -> None:
    assert supported(HATCHERY_030) == {"json": False, "0.24": False, "0.25": False, "0.38": False}
    v038 = run_check(MockTinker(HATCHERY_030), "0.38")
    fwd = v038.step("forward_backward").errors[0]
    assert "protobuf" in fwd.where and "HTTP 500" in fwd.got
    legacy = run_check(MockTinker(HATCHERY_030), "json")
    states = outcomes(legacy)
    # the save "works", sampling from it does not: a blocker for every SDK user of the path
    assert states["save_weights_for_sampler"] is Outcome.PASS
    assert states["asample (saved sampler path)"] is Outcome.FAIL
    assert legacy.verdict.blockers[0].startswith("asample (saved sampler path)")
    # loss:sum = weighted mean x count: caught only because the weights are not all 1
    violation = legacy.step("cross_entropy loss:sum = −Σ w·logprob").errors[0]
    assert violation.rule == "metrics:loss-sum-value"
    # `tinker://M/checkpoints/NAME`: tolerated (a warning)
    assert states["save_weights"] is Outcome.PASS
    assert [w.rule for w in legacy.step("save_weights").warnings] == ["tinker-path"]


# ---------------------------------------------------------------------- behaviour and single defects


def test_missing_sample_sequence_ids_is_not_a_025_problem() -> None:
    report = run_check(MockTinker(Knobs(sample_sequence_ids=False)), "0.25")
    assert report.passed


def test_json_result_for_protobuf_generation_blocks_it() -> None:
    report = run_check(MockTinker(Knobs(protobuf_results="never")), "0.38")
    violation = report.step("forward_backward").errors[0]
    assert violation.rule == "future:protobuf"
    assert not report.passed
    assert run_check(MockTinker(Knobs(protobuf_results="never")), "json").passed


def test_requests_applied_out_of_order_are_caught() -> None:
    report = run_check(MockTinker(Knobs(lazy_optim=True)), "json")
    violation = only_violation(report, "seq_id ordering")
    assert violation.rule == "ordering:seq-id"
    assert report.step("optim_step").outcome is Outcome.PASS


def test_forward_disagreeing_with_forward_backward() -> None:
    def shifted(result: Json) -> Json:
        out = result["loss_fn_outputs"][0]["logprobs"]
        return {**result, "loss_fn_outputs": [{"logprobs": {**out, "data": [x - 0.5 for x in out["data"]]}}]}

    report = run_check(MockTinker(patch_result={"forward": shifted}), "json")
    assert only_violation(report, "forward = forward_backward logprobs").rule == "forward:consistency"
    assert report.passed  # behaviour findings are caveats, not blockers
    assert any(c.startswith("forward = forward_backward logprobs") for c in report.verdict.caveats)


def test_loaded_checkpoint_with_other_logprobs() -> None:
    class Forgetful(MockTinker):
        def op_load_weights(self, request: httpx.Request, body: Any) -> httpx.Response:
            response = super().op_load_weights(request, body)
            loaded = body.get("model_id") or f"{body['session_id']}:train:{body['model_seq_id']}"
            self.models[loaded].version += 7
            return response

    for generation in ("0.25", "0.38"):
        report = run_check(Forgetful(), generation)
        assert only_violation(report, "save → load → same logprobs").rule == "load:logprobs", generation


def test_duplicate_name_refused_or_crashing() -> None:
    refused = run_check(MockTinker(Knobs(duplicate_name_status=409)), "json")
    assert refused.step("duplicate checkpoint name").outcome is Outcome.PASS
    assert "refused" in refused.step("duplicate checkpoint name").detail
    crashing = run_check(MockTinker(Knobs(duplicate_name_status=500)), "json")
    assert only_violation(crashing, "duplicate checkpoint name").rule == "duplicate-name"


def test_idempotency_key_honoured_or_ignored() -> None:
    honoured = run_check(MockTinker(Knobs(honour_idempotency=True)), "0.38")
    assert honoured.step("idempotency-key replay").detail.startswith("honoured")
    ignored = run_check(MockTinker(Knobs(honour_idempotency=False)), "0.38")
    step = ignored.step("idempotency-key replay")
    assert step.outcome is Outcome.PASS and [w.rule for w in step.warnings] == ["idempotency:ignored"]


def test_wrong_type_in_response_is_pinpointed() -> None:
    server = MockTinker(patch_sync={"get_training_run": lambda b: {**b, "is_lora": "yes"}})
    report = run_check(server, "json")
    violation = only_violation(report, "get_training_run")
    assert (violation.rule, violation.pointer, violation.got) == ("schema:type", "/is_lora", '"yes"')
    assert report.passed  # REST lookups are not in the SDKs' training flow: a caveat
    assert any(c.startswith("get_training_run") for c in report.verdict.caveats)


def test_wrong_type_deep_in_a_protobuf_result() -> None:
    def bad_type(result: Json) -> Json:
        return {**result, "loss_fn_output_type": 7}

    report = run_check(
        MockTinker(patch_result={"forward": bad_type}, knobs=Knobs(protobuf_results="never")), "json"
    )
    violation = only_violation(report, "forward")
    assert (
        violation.pointer == "/loss_fn_output_type" and violation.where == "retrieve_future(forward) result"
    )


def test_missing_required_field_fails_and_skips_dependents() -> None:
    server = MockTinker(patch_sync={"create_session": lambda b: {"type": "create_session"}})
    report = run_check(server, "0.25")
    violation = only_violation(report, "create_session")
    assert violation.rule == "schema:required" and "session_id" in violation.expected
    states = outcomes(report)
    for dependent in ("session_heartbeat", "create_model", "forward_backward", "asample (base model)"):
        assert states[dependent] is Outcome.SKIPPED, dependent
    assert report.verdict.blockers == (report.verdict.blockers[0],)  # skipped steps are not blockers
    assert report.verdict.blockers[0].startswith("create_session")


def test_failed_future_is_reported() -> None:
    def failed(result: Json) -> Json:
        return {"error": "out of memory", "category": "server"}

    report = run_check(MockTinker(patch_result={"optim_step": failed}), "json")
    violation = only_violation(report, "optim_step")
    assert violation.rule == "future:failed" and "out of memory" in violation.got
    assert report.verdict.blockers[0].startswith("optim_step")


def test_missing_optional_routes_are_not_implemented() -> None:
    report = run_check(MockTinker(missing={"delete_checkpoint", "get_checkpoint_archive_url"}), "json")
    states = outcomes(report)
    assert states["delete_checkpoint"] is Outcome.NOT_IMPLEMENTED
    assert states["archive URL (kind/name id)"] is Outcome.NOT_IMPLEMENTED
    assert states["archive URL (flat id)"] is Outcome.PASS
    assert report.passed
    assert "archive URL (flat id)" not in outcomes(run_check(MockTinker(), "0.38"))  # removed in 0.38


def test_api_key_never_appears_in_the_report() -> None:
    server = MockTinker(status={"get_info": (500, {"detail": f"bad key {SECRET}"})})
    report = run_check(server, "json")
    assert report.step("get_info").outcome is Outcome.FAIL
    assert SECRET not in report.to_json_str() and SECRET not in repr(report)


def test_unreachable_server_is_reported_not_raised() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    report = check_server(BASE_URL, SECRET, BASE_MODEL, timeout=5.0, transport=httpx.MockTransport(refuse))
    assert report.step("create_session").errors[0].rule == "transport"
    assert report.step("create_model").outcome is Outcome.SKIPPED
    assert not report.passed


# ---------------------------------------------------------------------- rendering and the CLI


def test_rich_output_keeps_brackets() -> None:
    report = run_check(MockTinker(Knobs(lazy_optim=True)), "json")
    console = Console(record=True, width=250)
    report.render(console)
    text = console.export_text()
    assert "[ordering:seq-id]" in text  # rule names in brackets are text, not swallowed as markup
    matrix = check_matrix(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        timeout=5.0,
        transport=MockTinker(SKYRL_040).transport(),
        semantics=False,
    )
    console = Console(record=True, width=250)
    matrix.render(console)
    text = console.export_text()
    assert "SDK 0.25 (protobuf)" in text and "/sample_sequence_ids" in text


def test_matrix_json_schema_is_stable() -> None:
    matrix = check_matrix(
        BASE_URL,
        SECRET,
        BASE_MODEL,
        timeout=5.0,
        transport=MockTinker(SKYRL_040).transport(),
        semantics=False,
    )
    document = json.loads(json.dumps(matrix.to_json()))
    assert set(document) == {
        "schema_version",
        "base_url",
        "base_model",
        "all_supported",
        "generations",
        "workloads",
        "server_facts",
    }
    assert document["workloads"] == [] and document["server_facts"] is None  # semantic checks not run
    assert document["schema_version"] == 1 and document["all_supported"] is False
    assert [g["generation"] for g in document["generations"]] == ["json", "0.24", "0.25", "0.38"]
    for entry in document["generations"]:
        assert set(entry) == {"generation", "label", "supported", "blockers", "caveats", "steps", "cleanup"}
        assert set(entry["steps"].values()) <= {"PASS", "FAIL", "NOT_IMPLEMENTED", "SKIPPED"}


def _invoke_cli(monkeypatch: pytest.MonkeyPatch, server: MockTinker, *args: str) -> Any:
    from click.testing import CliRunner

    import tinker_ext.contract as contract_package
    from tinker_ext.cli import cli
    from tinker_ext.contract import _check

    for name in ("check_server", "check_matrix"):
        real = getattr(_check, name)

        def with_mock(*a: Any, _real: Any = real, **kw: Any) -> Any:
            return _real(*a, **kw, transport=server.transport())

        monkeypatch.setattr(contract_package, name, with_mock)
    return CliRunner().invoke(cli, ["contract", *args], catch_exceptions=False)


def test_cli_check_exit_codes_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    common = ("--base-url", BASE_URL, "--api-key", SECRET, "--base-model", BASE_MODEL)
    ok = _invoke_cli(
        monkeypatch, MockTinker(SKYRL_040), "check", *common, "--generation", "0.25", "--format", "json"
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["verdict"]["supported"] is True and SECRET not in ok.output
    blocked = _invoke_cli(monkeypatch, MockTinker(SKYRL_040), "check", *common, "--generation", "0.38")
    assert blocked.exit_code == 1
    assert "sample_sequence_ids" in blocked.output and "[asample:sample_sequence_ids]" in blocked.output


def test_cli_matrix_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    common = ("--base-url", BASE_URL, "--base-model", BASE_MODEL)
    every = _invoke_cli(monkeypatch, MockTinker(SKYRL_040), "matrix", *common, "--format", "json")
    assert every.exit_code == 1  # not every generation can use it
    assert json.loads(every.output)["schema_version"] == 1
    gated = _invoke_cli(monkeypatch, MockTinker(SKYRL_040), "matrix", *common, "--require", "0.25")
    assert gated.exit_code == 0, gated.output
    assert "SDK 0.38" in gated.output


def test_missing_tools_are_tool_errors_naming_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tinker_ext.cli import cli
    from tinker_ext.contract import _fuzz, _spec

    monkeypatch.setattr(_fuzz.shutil, "which", lambda *a, **kw: None)
    fuzz = CliRunner().invoke(cli, ["contract", "fuzz", "--base-url", "http://127.0.0.1:9"])
    assert fuzz.exit_code == 2
    assert "pip install 'tinker-ext[contract]'" in fuzz.output and "FAIL" not in fuzz.output

    def no_jsonschema() -> Any:
        raise _spec.MissingDependencyError(
            "tinker_ext.contract needs jsonschema: pip install 'jsonschema>=4.21'"
        )

    monkeypatch.setattr(_spec, "_jsonschema", no_jsonschema)
    check = CliRunner().invoke(cli, ["contract", "check", "--base-url", BASE_URL, "--base-model", BASE_MODEL])
    assert check.exit_code == 2 and "pip install 'jsonschema>=4.21'" in check.output
    remote = CliRunner().invoke(cli, ["contract", "fuzz", "--base-url", "https://tinker.example.com"])
    assert remote.exit_code == 2 and "loopback" in remote.output


def test_replay_check_tells_seq_id_deduplication_from_an_honoured_key() -> None:
    # skyrl 0.4.0 ignores X-Idempotency-Key but answers a training request with a used (model, seq_id) and
    # the same body with the first future (measured in its source and on the server).
    report = run_check(MockTinker(Knobs(honour_idempotency=False, dedupe_seq_ids=True)), "json")
    detail = report.step("idempotency-key replay").detail
    assert detail.startswith("deduplicated by model and seq_id, not by the key")
    assert report.step("idempotency-key replay").outcome is Outcome.PASS
