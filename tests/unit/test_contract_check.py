"""tinker_ext.contract.check_server against in-process MockTransport servers: a conforming one (every step
passes, every request the check sends is valid under the spec) and variants that break the contract in
one specific way, which the report must pinpoint."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rich.console import Console

pytest.importorskip("jsonschema")

from tinker_ext.contract import ContractReport, ContractSpec, Outcome, Severity, check_server

BASE_URL = "http://tinker.test"
BASE_MODEL = "test/base-model"
SECRET = "tml-contract-secret-key"
SPEC = ContractSpec.load()

Json = dict[str, Any]
Patch = Callable[[Json], Json]


class MockTinker:
    """A small Tinker server that follows the spec. Knobs break it in one place:

    missing       operationIds answered with FastAPI's route-missing 404
    patch_sync    operationId -> function rewriting a synchronous response body
    patch_result  operation label -> function rewriting a future's result body
    status        operationId -> (status, body) answered instead
    try_again     body of one try_again answer before each result (None: no try_again)
    lazy_optim    apply optim_step when its result is fetched, not in arrival order
    """

    def __init__(
        self,
        *,
        missing: set[str] | None = None,
        patch_sync: dict[str, Patch] | None = None,
        patch_result: dict[str, Patch] | None = None,
        status: dict[str, tuple[int, Any]] | None = None,
        try_again: Callable[[str], Json] | None = lambda rid: {
            "type": "try_again",
            "request_id": rid,
            "queue_state": "active",
        },
        lazy_optim: bool = False,
    ) -> None:
        self.missing = missing or set()
        self.patch_sync = patch_sync or {}
        self.patch_result = patch_result or {}
        self.status = status or {}
        self.try_again = try_again
        self.lazy_optim = lazy_optim
        self.request_errors: list[str] = []
        self.seen_keys: set[str | None] = set()
        self.version = 0  # weights version: bumped by every optim_step
        self.futures: dict[str, tuple[str, Any]] = {}
        self.polled: set[str] = set()
        self.checkpoints: dict[str, list[Json]] = {}
        self.next_id = 0
        self.routes = [
            (op.method, re.compile("^" + re.sub(r"\{[^}]+\}", "([^/]+)", op.path) + "$"), op)
            for op in sorted(SPEC.operations.values(), key=lambda o: o.path.count("{"))
        ]

    # ------------------------------------------------------------------ plumbing
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen_keys.add(request.headers.get("X-API-Key"))
        found = next(
            (
                (op, m)
                for method, pattern, op in self.routes
                if method == request.method and (m := pattern.match(request.url.path))
            ),
            None,
        )
        if found is None:
            return httpx.Response(404, json={"detail": "Not Found"})
        op, match = found
        if op.operation_id in self.missing:
            return httpx.Response(404, json={"detail": "Not Found"})
        body = json.loads(request.content) if request.content else None
        request_body = op.spec.get("requestBody")
        if request_body is not None:
            schema = request_body["content"]["application/json"]["schema"]
            errors = SPEC.validate(body, schema, where=op.operation_id)
            if [e for e in errors if e.severity is Severity.ERROR]:
                self.request_errors.append(f"{op.operation_id}: {errors}")
                return httpx.Response(
                    422, json={"detail": [{"loc": ["body"], "msg": str(errors[0]), "type": "x"}]}
                )
        if op.operation_id in self.status:
            code, payload = self.status[op.operation_id]
            return httpx.Response(code, json=payload)
        handler = getattr(self, "op_" + op.operation_id)
        response: httpx.Response = handler(request, body, *match.groups())
        patch = self.patch_sync.get(op.operation_id)
        if patch is not None and response.status_code == 200:
            return httpx.Response(200, json=patch(json.loads(response.content)))
        return response

    def future(self, label: str, result: Any, **extra: Any) -> httpx.Response:
        self.next_id += 1
        request_id = str(self.next_id)
        self.futures[request_id] = (label, result)
        return httpx.Response(200, json={"request_id": request_id, **extra})

    def fwd_output(self) -> Json:
        logprobs = [-(1.0 + 0.1 * self.version + 0.01 * i) for i in range(11)]
        return {
            "loss_fn_output_type": "ArrayRecord",
            "loss_fn_outputs": [
                {
                    "logprobs": {"data": logprobs, "dtype": "float32", "shape": [11]},
                    "elementwise_loss": {"data": [-x for x in logprobs], "dtype": "float32", "shape": [11]},
                }
            ],
            "metrics": {"loss:sum": -sum(logprobs)},
        }

    def checkpoint(self, run: str, kind: str, name: str) -> Json:
        entry = {
            "checkpoint_id": f"{kind}/{name}",
            "checkpoint_type": "training" if kind == "weights" else "sampler",
            "time": "2026-01-01T00:00:00+00:00",
            "tinker_path": f"tinker://{run}/{kind}/{name}",
        }
        self.checkpoints.setdefault(run, []).append(entry)
        return entry

    def training_run(self, run: str) -> Json:
        return {
            "training_run_id": run,
            "base_model": BASE_MODEL,
            "model_owner": "tester",
            "is_lora": True,
            "lora_rank": 8,
            "last_request_time": "2026-01-01T00:00:00Z",
        }

    # ------------------------------------------------------------------ operations
    def op_healthz(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"status": "ok"})

    def op_get_server_capabilities(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"supported_models": [{"model_name": BASE_MODEL}]})

    def op_client_config(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"proto_write_fwdbwd": True})

    def op_create_session(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"type": "create_session", "session_id": "session-1"})

    def op_session_heartbeat(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"type": "session_heartbeat"})

    def op_create_model(self, request: httpx.Request, body: Any) -> httpx.Response:
        return self.future("create_model", {"model_id": "run-1", "type": "create_model"}, model_id="run-1")

    def op_get_info(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(
            200, json={"model_id": body["model_id"], "model_data": {"model_name": BASE_MODEL}}
        )

    def op_forward_backward(self, request: httpx.Request, body: Any) -> httpx.Response:
        return self.future("forward_backward", self.fwd_output())

    def op_forward(self, request: httpx.Request, body: Any) -> httpx.Response:
        return self.future("forward", self.fwd_output())

    def op_optim_step(self, request: httpx.Request, body: Any) -> httpx.Response:
        if not self.lazy_optim:
            self.version += 1
        return self.future("optim_step", {"metrics": {"grad_norm:mean": 0.5}})

    def op_save_weights(self, request: httpx.Request, body: Any) -> httpx.Response:
        entry = self.checkpoint(body["model_id"], "weights", body["path"])
        return self.future("save_weights", {"path": entry["tinker_path"], "type": "save_weights"})

    def op_save_weights_for_sampler(self, request: httpx.Request, body: Any) -> httpx.Response:
        entry = self.checkpoint(body["model_id"], "sampler_weights", body["path"])
        return self.future("save_weights_for_sampler", {"path": entry["tinker_path"]})

    def op_create_sampling_session(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"sampling_session_id": "sampler-1"})

    def op_asample(self, request: httpx.Request, body: Any) -> httpx.Response:
        n = body["num_samples"]
        sequences = [
            {"stop_reason": "length", "tokens": [5, 6, 7, 8], "logprobs": [-1.0] * 4} for _ in range(n)
        ]
        ids = [f"seq-{i}" for i in range(n)]
        return self.future("asample", {"sequences": sequences, "type": "sample"}, sample_sequence_ids=ids)

    def op_load_weights(self, request: httpx.Request, body: Any) -> httpx.Response:
        return self.future("load_weights", {"type": "load_weights", "path": body["path"]})

    def op_get_weights_info(self, request: httpx.Request, body: Any) -> httpx.Response:
        return httpx.Response(200, json={"base_model": BASE_MODEL, "is_lora": True, "lora_rank": 8})

    def op_list_training_runs(self, request: httpx.Request, body: Any) -> httpx.Response:
        runs = [self.training_run(run) for run in self.checkpoints] or [self.training_run("run-1")]
        cursor = {"offset": 0, "limit": 100, "total_count": len(runs)}
        return httpx.Response(200, json={"training_runs": runs, "cursor": cursor})

    def op_get_training_run(self, request: httpx.Request, body: Any, run: str) -> httpx.Response:
        return httpx.Response(200, json=self.training_run(run))

    def op_list_checkpoints(self, request: httpx.Request, body: Any, run: str) -> httpx.Response:
        return httpx.Response(200, json={"checkpoints": self.checkpoints.get(run, [])})

    def op_get_checkpoint_archive_url(
        self, request: httpx.Request, body: Any, run: str, kind: str, name: str
    ) -> httpx.Response:
        return httpx.Response(302, headers={"Location": f"https://blobs.test/{run}/{name}.tar"})

    def op_get_checkpoint_archive_url_by_id(
        self, request: httpx.Request, body: Any, run: str, name: str
    ) -> httpx.Response:
        return httpx.Response(
            200, json={"url": f"https://blobs.test/{run}/{name}.tar", "expires": "2026-01-01T00:00:00Z"}
        )

    def op_delete_checkpoint(
        self, request: httpx.Request, body: Any, run: str, kind: str, name: str
    ) -> httpx.Response:
        before = self.checkpoints.get(run, [])
        self.checkpoints[run] = [c for c in before if c["checkpoint_id"] != f"{kind}/{name}"]
        return httpx.Response(200, json={})

    def op_retrieve_future(self, request: httpx.Request, body: Any) -> httpx.Response:
        request_id = body["request_id"]
        if request_id not in self.futures:
            return httpx.Response(404, json={"detail": "Future not found"})
        if self.try_again is not None and request_id not in self.polled:
            self.polled.add(request_id)
            return httpx.Response(200, json=self.try_again(request_id))
        label, result = self.futures[request_id]
        if label == "optim_step" and self.lazy_optim and request_id not in self.polled:
            self.version += 1
        self.polled.add(request_id)
        if label in ("forward_backward", "asample") and "application/x-protobuf" in request.headers.get(
            "accept", ""
        ):
            return httpx.Response(
                200, content=b"\x0a\x00", headers={"Content-Type": "application/x-protobuf"}
            )
        patch = self.patch_result.get(label)
        return httpx.Response(200, json=patch(dict(result)) if patch else result)


def run_check(server: MockTinker, **kwargs: Any) -> ContractReport:
    return check_server(BASE_URL, SECRET, BASE_MODEL, timeout=5.0, transport=server.transport(), **kwargs)


def outcomes(report: ContractReport) -> dict[str, Outcome]:
    return {step.name: step.outcome for step in report.steps}


def only_violation(report: ContractReport, step: str) -> Any:
    errors = report.step(step).errors
    assert len(errors) == 1, errors
    return errors[0]


# ---------------------------------------------------------------------- conforming server


def test_conforming_server_passes_every_step_with_spec_valid_requests() -> None:
    server = MockTinker()
    report = run_check(server)
    assert server.request_errors == []  # everything the check sent is valid under the spec
    assert server.seen_keys == {SECRET}
    assert {name: o for name, o in outcomes(report).items() if o is not Outcome.PASS} == {}
    assert all(not step.violations for step in report.steps), [
        s.violations for s in report.steps if s.violations
    ]
    assert report.passed
    assert [g.supported for g in report.generations] == [True, True, True]
    # the ordering step sent its own forward_backward + optim_step + forward
    assert server.version == 2


def test_report_json_and_rich_render() -> None:
    report = run_check(MockTinker(missing={"delete_checkpoint"}))
    document = json.loads(report.to_json_str())
    assert document["passed"] is True
    assert document["counts"]["NOT_IMPLEMENTED"] == 1
    delete = next(s for s in document["steps"] if s["name"] == "delete_checkpoint")
    assert delete["outcome"] == "NOT_IMPLEMENTED" and delete["http_status"] == 404 and not delete["required"]
    console = Console(record=True, width=200)
    report.render(console)
    text = console.export_text()
    assert "delete_checkpoint" in text and "NOT_IMPLEMENTED" in text and "SDK generations" in text


# ---------------------------------------------------------------------- specific violations


def test_wrong_type_in_response_is_pinpointed() -> None:
    server = MockTinker(patch_sync={"get_training_run": lambda b: {**b, "is_lora": "yes"}})
    report = run_check(server)
    violation = only_violation(report, "get_training_run")
    assert report.step("get_training_run").outcome is Outcome.FAIL
    assert (violation.rule, violation.pointer, violation.got) == ("schema:type", "/is_lora", '"yes"')
    assert "boolean" in violation.expected
    assert not report.passed
    assert outcomes(report)["list_checkpoints"] is Outcome.PASS  # later steps still ran


def test_wrong_type_deep_in_a_future_result() -> None:
    def bad_logprob(result: Json) -> Json:
        result["loss_fn_outputs"][0]["logprobs"]["dtype"] = "float64"
        return result

    report = run_check(MockTinker(patch_result={"forward": bad_logprob}))
    violation = only_violation(report, "forward")
    assert violation.pointer == "/loss_fn_outputs/0/logprobs/dtype"
    assert violation.where == "retrieve_future(forward) result"
    assert violation.got == '"float64"' and "int64" in violation.expected


def test_missing_required_field_fails_and_skips_dependents() -> None:
    server = MockTinker(patch_sync={"create_session": lambda b: {"type": "create_session"}})
    report = run_check(server)
    violation = only_violation(report, "create_session")
    assert (
        violation.rule == "schema:required" and "session_id" in violation.expected and violation.pointer == ""
    )
    states = outcomes(report)
    assert states["create_session"] is Outcome.FAIL
    for dependent in ("session_heartbeat", "create_model", "forward_backward", "asample", "list_checkpoints"):
        assert states[dependent] is Outcome.SKIPPED, dependent
    assert "create_session (FAIL)" in report.step("create_model").detail
    assert states["healthz"] is Outcome.PASS and states["retrieve_future unknown id → 404"] is Outcome.PASS


def test_metrics_key_without_colon() -> None:
    def no_colon(result: Json) -> Json:
        return {**result, "metrics": {"loss": 1.0}}

    report = run_check(MockTinker(patch_result={"forward_backward": no_colon}))
    violation = only_violation(report, "forward_backward")
    assert (violation.rule, violation.pointer, violation.got) == ("metrics:key", "/metrics/loss", '"loss"')
    assert report.step("cross_entropy loss:sum").outcome is Outcome.FAIL
    assert "forward_backward_custom" in " ".join(report.generations[0].reasons)


def test_missing_logprobs_in_loss_fn_outputs() -> None:
    def no_logprobs(result: Json) -> Json:
        return {**result, "loss_fn_outputs": [{"elementwise_loss": {"data": [1.0] * 11, "dtype": "float32"}}]}

    report = run_check(MockTinker(patch_result={"forward_backward": no_logprobs}))
    violation = only_violation(report, "forward_backward")
    assert (violation.rule, violation.pointer) == ("loss_fn_outputs:logprobs", "/loss_fn_outputs/0")


def test_500_on_forward_backward() -> None:
    server = MockTinker(status={"forward_backward": (500, {"detail": "boom"})})
    report = run_check(server)
    step = report.step("forward_backward")
    assert step.outcome is Outcome.FAIL and step.http_status == 500
    violation = only_violation(report, "forward_backward")
    assert violation.rule == "status" and violation.expected == "HTTP 200" and "HTTP 500" in violation.got
    assert "boom" in violation.got
    states = outcomes(report)
    assert states["cross_entropy loss:sum"] is Outcome.SKIPPED
    assert states["forward"] is Outcome.PASS and states["optim_step"] is Outcome.PASS
    assert not report.passed and report.generations[0].supported is False


def test_missing_routes_are_not_implemented_and_shape_the_generations() -> None:
    server = MockTinker(missing={"client_config", "delete_checkpoint", "get_checkpoint_archive_url"})
    report = run_check(server)
    states = outcomes(report)
    assert states["client_config"] is Outcome.NOT_IMPLEMENTED
    assert states["delete_checkpoint"] is Outcome.NOT_IMPLEMENTED
    assert states["archive URL (kind/name id)"] is Outcome.NOT_IMPLEMENTED
    assert states["archive URL (flat id)"] is Outcome.PASS
    assert report.passed  # none of them is required
    json_clients, sdk_024, sdk_038 = report.generations
    assert json_clients.supported and not sdk_024.supported and not sdk_038.supported
    assert "client/config" in " ".join(sdk_024.reasons)
    assert any("delete_checkpoint" in r for r in json_clients.reasons)


def test_missing_required_route_fails_the_check() -> None:
    report = run_check(MockTinker(missing={"forward"}))
    assert report.step("forward").outcome is Outcome.NOT_IMPLEMENTED
    assert not report.passed
    assert "forward NOT_IMPLEMENTED" in " ".join(report.generations[0].reasons)


def test_unknown_request_id_must_be_404() -> None:
    original = MockTinker.op_retrieve_future

    class Lenient(MockTinker):
        def op_retrieve_future(self, request: httpx.Request, body: Any) -> httpx.Response:
            if body["request_id"] not in self.futures:
                return httpx.Response(
                    200, json={"type": "try_again", "request_id": body["request_id"], "queue_state": "active"}
                )
            return original(self, request, body)

    report = run_check(Lenient())
    violation = only_violation(report, "retrieve_future unknown id → 404")
    assert (
        violation.rule == "status"
        and violation.expected == "HTTP 404"
        and violation.got.startswith("HTTP 200")
    )


def test_try_again_shape_is_checked() -> None:
    server = MockTinker(try_again=lambda rid: {"type": "try_again", "request_id": rid})
    report = run_check(server)
    violation = only_violation(report, "create_model")
    assert violation.rule == "schema:required" and "queue_state" in violation.expected
    assert violation.where == "retrieve_future(create_model) try_again"


def test_failed_future_is_reported() -> None:
    def failed(result: Json) -> Json:
        return {"error": "out of memory", "category": "server"}

    report = run_check(MockTinker(patch_result={"optim_step": failed}))
    violation = only_violation(report, "optim_step")
    assert violation.rule == "future:failed" and "out of memory" in violation.got


def test_requests_applied_out_of_order_are_caught() -> None:
    report = run_check(MockTinker(lazy_optim=True))
    violation = only_violation(report, "seq_id ordering")
    assert violation.rule == "ordering:seq-id"
    assert report.step("optim_step").outcome is Outcome.PASS


def test_sampler_path_and_checkpoint_ids_in_skyrl_form() -> None:
    def two_part(result: Json) -> Json:
        return {**result, "path": result["path"].replace("/sampler_weights/", "/")}

    def bare_ids(body: Json) -> Json:
        return {
            "checkpoints": [
                {**c, "checkpoint_id": c["checkpoint_id"].split("/")[1]} for c in body["checkpoints"]
            ]
        }

    report = run_check(
        MockTinker(
            patch_result={"save_weights_for_sampler": two_part}, patch_sync={"list_checkpoints": bare_ids}
        )
    )
    assert report.step("save_weights_for_sampler").outcome is Outcome.PASS
    violation = only_violation(report, "sampler path format")
    assert violation.rule == "tinker-path" and "/sampler_weights/" in violation.expected
    listing = report.step("list_checkpoints")
    assert listing.outcome is Outcome.PASS  # bare ids are allowed by the spec, but warned about
    assert {w.rule for w in listing.warnings} == {"checkpoints:id"}


def test_naive_timestamps_are_warnings_not_failures() -> None:
    report = run_check(
        MockTinker(
            patch_sync={"get_training_run": lambda b: {**b, "last_request_time": "2026-01-01T00:00:00"}}
        )
    )
    step = report.step("get_training_run")
    assert step.outcome is Outcome.PASS
    assert [(w.rule, w.pointer) for w in step.warnings] == [("schema:format", "/last_request_time")]


def test_api_key_never_appears_in_the_report() -> None:
    server = MockTinker(status={"get_info": (500, {"detail": f"bad key {SECRET}"})})
    report = run_check(server)
    assert report.step("get_info").outcome is Outcome.FAIL
    assert SECRET not in report.to_json_str()
    assert SECRET not in repr(report)


def test_unreachable_server_is_reported_not_raised() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    report = check_server(BASE_URL, SECRET, BASE_MODEL, timeout=5.0, transport=httpx.MockTransport(refuse))
    assert report.step("healthz").outcome is Outcome.FAIL
    assert report.step("healthz").errors[0].rule == "transport"
    assert report.step("create_model").outcome is Outcome.SKIPPED
    assert not report.passed


# ---------------------------------------------------------------------- CLI: tinker-ext contract check


def _invoke_cli(monkeypatch: pytest.MonkeyPatch, server: MockTinker, *args: str) -> Any:
    from click.testing import CliRunner

    import tinker_ext.contract as contract_package
    from tinker_ext.cli import cli
    from tinker_ext.cli._contract import contract

    real_check = contract_package.check_server

    def check_with_mock(*a: Any, **kw: Any) -> ContractReport:
        return real_check(*a, **kw, transport=server.transport())

    monkeypatch.setattr(contract_package, "check_server", check_with_mock)
    monkeypatch.setitem(cli.commands, "contract", contract)  # registered by the lead in cli/_main.py
    return CliRunner().invoke(cli, ["contract", "check", *args], catch_exceptions=False)


def test_cli_exit_0_and_json_for_a_conforming_server(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke_cli(
        monkeypatch,
        MockTinker(),
        "--base-url",
        BASE_URL,
        "--api-key",
        SECRET,
        "--base-model",
        BASE_MODEL,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["passed"] is True and document["base_url"] == BASE_URL
    assert SECRET not in result.output


def test_cli_exit_1_and_table_for_a_broken_server(monkeypatch: pytest.MonkeyPatch) -> None:
    server = MockTinker(status={"forward_backward": (500, {"detail": "boom"})})
    result = _invoke_cli(monkeypatch, server, "--base-url", BASE_URL, "--base-model", BASE_MODEL)
    assert result.exit_code == 1
    assert "forward_backward" in result.output and "FAIL" in result.output and "HTTP 500" in result.output
