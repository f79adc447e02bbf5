"""CLI additions of tinker 0.38: `run list --columns`, `checkpoint delete --run-id/--type/--before/--after`,
`session export-trace` (with an injected fake RestClient, as tests/unit/test_cli.py)."""

from __future__ import annotations

import json
from typing import Any

from test_cli import Done, FakeRest, invoke


class TraceRest(FakeRest):
    def export_session_trace(self, session_id: str) -> Done:
        self.calls.append(("export_session_trace", session_id))
        return Done(f"https://signed.example/{session_id}.pftrace?sig=1")


def test_run_list_columns() -> None:
    result = invoke(FakeRest(runs=2), "run", "list", "-c", "id,owner,checkpoint")
    assert result.exit_code == 0, result.stderr
    assert (
        "Owner" in result.stdout and "Last checkpoint" in result.stdout and "Base model" not in result.stdout
    )
    bad = invoke(FakeRest(), "run", "list", "--columns", "id,nope")
    assert bad.exit_code == 1 and "nope" in bad.stderr


def _deleted(*args: str) -> tuple[Any, FakeRest]:
    rest = FakeRest(runs=3)
    return invoke(rest, "-f", "json", "checkpoint", "delete", *args, "-y"), rest


def test_delete_by_run_with_filters() -> None:
    # run1 has weights/a at T0+1 min and sampler_weights/b at T0+11 min (see FakeRest.list_checkpoints)
    result, rest = _deleted("--run-id", "run1", "--type", "sampler")
    assert result.exit_code == 0, result.stderr
    assert rest.deleted == ["tinker://run1/sampler_weights/b"]
    result, rest = _deleted("--run-id", "run1", "--type", "weights")
    assert rest.deleted == ["tinker://run1/weights/a"]
    result, rest = _deleted("--run-id", "run1", "--before", "2025-01-01T00:05:00")
    assert rest.deleted == ["tinker://run1/weights/a"]
    result, rest = _deleted("--run-id", "run1", "--after", "2025-01-01T00:05:00Z")
    assert rest.deleted == ["tinker://run1/sampler_weights/b"]
    result, rest = _deleted("--run-id", "run1", "--after", "2025-01-02")
    assert rest.deleted == [] and json.loads(result.stdout)["deleted_count"] == 0


def test_delete_filter_rules() -> None:
    for args in (
        ("--type", "sampler", "tinker://run1/weights/a"),
        ("--run-id", "run1", "tinker://run1/weights/a"),
        (),
        ("--run-id", "run1", "--before", "yesterday"),
    ):
        result, rest = _deleted(*args)
        assert result.exit_code != 0 and rest.deleted == [], args


def test_session_export_trace_url_only() -> None:
    rest = TraceRest()
    result = invoke(rest, "session", "export-trace", "sess-1", "--url-only")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "https://signed.example/sess-1.pftrace?sig=1"
    document = json.loads(invoke(rest, "-f", "json", "session", "export-trace", "s2", "--url-only").stdout)
    assert document == {"session_id": "s2", "url": "https://signed.example/s2.pftrace?sig=1"}
