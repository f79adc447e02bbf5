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


class AccountRest(FakeRest):
    def __init__(self, accessible: bool = True) -> None:
        super().__init__()
        self.accessible = accessible

    def get_server_capabilities(self) -> Done:
        from test_cli import status

        return Done(object() if self.accessible else status(401, "bad key"))

    def whoami(self) -> Done:
        from tinker_ext.types import WhoamiResponse

        return Done(WhoamiResponse(user_urn="tml:user:u", org_urn="tml:organization:o", email=None))

    def get_billing_usage(self, starting_on: str, ending_before: str) -> Done:
        from tinker_ext.types import BillingUsageResponse

        self.calls.append(("usage", (starting_on, ending_before)))
        return Done(
            BillingUsageResponse.from_json(
                {
                    "data": [
                        {
                            "bucket_start": "2025-01-01T00:00:00Z",
                            "bucket_end": "2025-01-01T01:00:00Z",
                            "event_info": {"type": "training", "token_count": 10},
                            "session_id": "s1",
                        }
                    ],
                    "sessions": {"s1": {"user_metadata": {"k": "v"}}},
                }
            )
        )

    def get_current_checkpoint_storage_usage(self, project_id: str | None = None) -> Done:
        from tinker_ext.types import CurrentCheckpointStorageUsageResponse

        self.calls.append(("storage", project_id))
        return Done(
            CurrentCheckpointStorageUsageResponse.from_json(
                {
                    "data": [
                        {"project_id": "p", "checkpoint_count": 2, "size_bytes": 2048, "size_gigabytes": 0.0}
                    ]
                }
            )
        )


def test_auth_status_and_whoami() -> None:
    ok = invoke(AccountRest(), "-f", "json", "auth", "status")
    assert json.loads(ok.stdout) == {"credentials_available": True, "tinker_accessible": True, "error": None}
    refused = invoke(AccountRest(accessible=False), "auth", "status")
    assert "Credentials available: yes" in refused.stdout and "Tinker accessible: no" in refused.stdout
    me = json.loads(invoke(AccountRest(), "-f", "json", "auth", "whoami").stdout)
    assert me == {"user_urn": "tml:user:u", "org_urn": "tml:organization:o", "email": None}


def test_billing_usage_and_storage_csv(tmp_path: Any) -> None:
    rest = AccountRest()
    events, sessions = tmp_path / "e.csv", tmp_path / "s.csv"
    result = invoke(
        rest,
        "billing",
        "usage",
        "2025-01-01T00:00:00",
        "2025-01-02T00:00:00",
        "--csv",
        str(events),
        "--sessions-csv",
        str(sessions),
    )
    assert result.exit_code == 0, result.stderr
    lines = events.read_text().splitlines()
    assert lines[0].startswith("bucket_start,bucket_end,type") and ",training,,s1,," in lines[1]
    assert sessions.read_text().splitlines()[1] == 's1,"{""k"": ""v""}"'  # 0.38: the metadata itself
    assert rest.calls[-1] == ("usage", ("2025-01-01T00:00:00", "2025-01-02T00:00:00"))
    storage = invoke(rest, "billing", "checkpoint-storage", "--project-id", "p", "--csv", "-")
    assert storage.stdout.splitlines() == ["project_id,user_email,checkpoint_count,size_bytes", "p,,2,2048"]
    assert rest.calls[-1] == ("storage", "p")
