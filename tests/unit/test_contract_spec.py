"""tinker_ext.contract's view of the spec: the bundled snapshot is openapi.yaml, refs resolve, violations
carry JSON pointers, and every operation the check drives exists in the spec."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from tinker_ext_raw.openapi_spec import SPEC_JSON

from tinker_ext.contract import ContractSpec, Severity

REPO = Path(__file__).resolve().parents[2]
SPEC = ContractSpec.load()


def test_bundled_snapshot_is_the_yaml_spec() -> None:
    yaml = pytest.importorskip("yaml")
    source = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    bundled = json.loads(SPEC_JSON)
    assert bundled == source, (
        "stale: run `nox -s codegen` (it writes generated/tinker_ext_raw/openapi_spec.py)"
    )


def test_every_operation_the_check_uses_is_in_the_spec() -> None:
    used = set()
    modules = sorted((REPO / "tinker_ext" / "contract").glob("_*.py"))
    nodes = [n for m in modules for n in ast.walk(ast.parse(m.read_text(encoding="utf-8")))]
    for node in nodes:
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("call", "send", "submit"):
            operation = node.args[1] if len(node.args) > 1 else None
            if isinstance(operation, ast.Constant) and isinstance(operation.value, str):
                used.add(operation.value)
    assert len(used) >= 18
    assert used <= set(SPEC.operations)


def test_response_schema_lookup_uses_exact_then_range() -> None:
    assert SPEC.response_schema("forward_backward", 200) == {"$ref": "#/components/schemas/UntypedAPIFuture"}
    assert SPEC.response_schema("forward_backward", 422) == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }
    assert SPEC.response_schema("forward_backward", 503) == {"$ref": "#/components/schemas/ErrorResponse"}
    assert SPEC.documents_status("forward_backward", 200)
    assert not SPEC.documents_status("forward_backward", 302)
    assert SPEC.response_schema("get_checkpoint_archive_url", 302) is None  # a redirect, no JSON body


def test_violations_have_pointers_expected_and_got() -> None:
    output = {
        "loss_fn_output_type": "ArrayRecord",
        "loss_fn_outputs": [{"logprobs": {"data": [-1.0], "dtype": "float16"}}],
        "metrics": {"loss:sum": "1.0"},
    }
    violations = SPEC.validate_named(output, "ForwardBackwardOutput", where="result")
    assert [(v.pointer, v.rule, v.got) for v in violations] == [
        ("/loss_fn_outputs/0/logprobs/dtype", "schema:enum", '"float16"'),
        ("/metrics/loss:sum", "schema:type", '"1.0"'),
    ]
    assert all(v.severity is Severity.ERROR and v.where == "result" for v in violations)


def test_nullable_refs_and_missing_fields() -> None:
    ok = {"checkpoints": [], "cursor": None}
    assert SPEC.validate_named(ok, "CheckpointsListResponse", where="x") == []
    missing = SPEC.validate_named({"training_runs": []}, "TrainingRunsResponse", where="x")
    assert [(v.rule, v.pointer) for v in missing] == [("schema:required", "")]
    assert "'cursor'" in missing[0].expected


def test_timestamps_naive_is_a_warning_garbage_is_an_error() -> None:
    run = {"training_run_id": "r", "base_model": "b", "model_owner": "o", "is_lora": True}
    naive = SPEC.validate_named(
        {**run, "last_request_time": "2026-01-01T10:00:00.5"}, "TrainingRun", where="x"
    )
    assert [(v.rule, v.severity) for v in naive] == [("schema:format", Severity.WARNING)]
    garbage = SPEC.validate_named({**run, "last_request_time": "yesterday"}, "TrainingRun", where="x")
    assert [(v.rule, v.severity) for v in garbage] == [("schema:format", Severity.ERROR)]
    aware = SPEC.validate_named(
        {**run, "last_request_time": "2026-01-01T10:00:00Z"}, "TrainingRun", where="x"
    )
    assert aware == []


def test_fuzz_refuses_non_loopback_targets() -> None:
    from tinker_ext.contract import fuzz_server
    from tinker_ext.contract._fuzz import _is_loopback

    with pytest.raises(ValueError, match="loopback"):
        fuzz_server("https://tinker.example.com", max_examples=1)
    assert (
        _is_loopback("http://127.0.0.1:8000")
        and _is_loopback("http://localhost:1")
        and _is_loopback("http://[::1]:2")
    )
    assert not _is_loopback("http://10.0.0.1:8000")
