"""tinker-ext CLI: argument validation, JSON shapes, error mapping (with an injected fake RestClient)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tinker_ext._core.exceptions import APIConnectionError, status_error_class
from tinker_ext.cli import cli
from tinker_ext.cli._app import Dependencies
from tinker_ext.types import Checkpoint, CheckpointsListResponse, Cursor, TrainingRun, TrainingRunsResponse

KEY = "tml-very-secret-key"
T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value


def status(code: int, detail: str) -> Exception:
    response = httpx.Response(code, request=httpx.Request("GET", "http://tinker.test/api/v1/x"))
    return status_error_class(code)(f"Error code: {code}", response=response, body={"detail": detail})


def ckpt(run: str, name: str, kind: str = "weights", minutes: int = 0) -> Checkpoint:
    ctype = {"weights": "training", "sampler_weights": "sampler"}[kind]
    return Checkpoint(
        checkpoint_id=f"{kind}/{name}",
        checkpoint_type=ctype,
        time=T0 + dt.timedelta(minutes=minutes),
        tinker_path=f"tinker://{run}/{kind}/{name}",
    )


def training_run(run_id: str, minutes: int = 0) -> TrainingRun:
    return TrainingRun(
        training_run_id=run_id,
        base_model="tiny",
        model_owner="me",
        is_lora=True,
        last_request_time=T0 + dt.timedelta(minutes=minutes),
        lora_rank=4,
    )


class FakeRest:
    def __init__(self, runs: int = 3, fail: Exception | None = None, user_checkpoints: bool = True) -> None:
        self.runs = [training_run(f"run{i}", minutes=i) for i in range(runs)]  # served oldest first
        self.fail = fail
        self.user_checkpoints = user_checkpoints
        self.deleted: list[str] = []
        self.calls: list[tuple[str, Any]] = []

    def _answer(self, value: Any) -> Done:
        return Done(self.fail if self.fail is not None else value)

    def list_training_runs(self, limit: int = 20, offset: int = 0) -> Done:
        self.calls.append(("list_training_runs", (limit, offset)))
        page = self.runs[offset : offset + limit]
        return self._answer(
            TrainingRunsResponse(
                training_runs=page, cursor=Cursor(offset=offset, limit=limit, total_count=len(self.runs))
            )
        )

    def get_training_run(self, run_id: str) -> Done:
        return self._answer(next(r for r in self.runs if r.training_run_id == run_id))

    def list_checkpoints(self, run_id: str) -> Done:
        index = int(run_id.removeprefix("run"))
        return self._answer(
            CheckpointsListResponse(
                checkpoints=[
                    ckpt(run_id, "a", minutes=index),
                    ckpt(run_id, "b", "sampler_weights", index + 10),
                ]
            )
        )

    def list_user_checkpoints(self, limit: int = 100, offset: int = 0) -> Done:
        if not self.user_checkpoints:
            return Done(status(404, "Not Found"))
        return self._answer(
            CheckpointsListResponse(
                checkpoints=[ckpt("run0", "a")], cursor=Cursor(offset=offset, limit=limit, total_count=1)
            )
        )

    def delete_checkpoint_from_tinker_path(self, path: str) -> Done:
        if "bad" in path:
            return Done(status(404, f"Checkpoint not found ({KEY})"))
        self.deleted.append(path)
        return Done(None)

    def set_checkpoint_ttl_from_tinker_path(self, path: str, ttl: int | None) -> Done:
        self.calls.append(("ttl", (path, ttl)))
        return self._answer(None)


def invoke(rest: FakeRest, *args: str, input: str | None = None) -> Any:
    deps = Dependencies(rest_client=lambda base_url, api_key: rest)
    return CliRunner().invoke(cli, ["--api-key", KEY, *args], obj=deps, input=input)


def test_version_json():
    result = invoke(FakeRest(), "--format", "json", "version")
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)) == {"version"}


def test_run_list_all_pages_json():
    rest = FakeRest(runs=250)
    result = invoke(rest, "-f", "json", "run", "list", "--limit", "0")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["total"] == 250
    assert [r["training_run_id"] for r in document["training_runs"]][:2] == ["run249", "run248"]
    assert document["training_runs"][0]["lora_rank"] == 4
    assert [c[1] for c in rest.calls] == [(100, 0), (100, 100), (100, 200)]


def test_run_list_is_newest_first_with_the_servers_total():
    """The newest runs are on the server's last page (skyrl serves oldest first): they are still the
    ones shown, `total` is the server's count and the title says "N of TOTAL"."""
    result = invoke(FakeRest(runs=140), "-f", "json", "run", "list", "--limit", "2")
    document = json.loads(result.stdout)
    assert [r["training_run_id"] for r in document["training_runs"]] == ["run139", "run138"]
    assert document["total"] == 140
    table = invoke(FakeRest(runs=40), "run", "list")
    assert "20 of 40 training run(s), most recently used first" in table.stdout
    assert table.stdout.index("run39") < table.stdout.index("run20")
    assert "run19 " not in table.stdout


def test_checkpoint_list_total_is_the_servers_and_title_says_n_of_total():
    class Many(FakeRest):
        def list_user_checkpoints(self, limit: int = 100, offset: int = 0) -> Done:
            page = [ckpt("run0", f"c{i}", minutes=-i) for i in range(offset, min(offset + limit, 30))]
            return Done(
                CheckpointsListResponse(
                    checkpoints=page, cursor=Cursor(offset=offset, limit=limit, total_count=30)
                )
            )

    document = json.loads(invoke(Many(), "-f", "json", "checkpoint", "list", "--limit", "5").stdout)
    assert document["total"] == 30 and len(document["checkpoints"]) == 5
    assert (
        "5 of 30 checkpoint(s), newest first" in invoke(Many(), "checkpoint", "list", "--limit", "5").stdout
    )


def test_checkpoint_list_falls_back_to_runs_when_server_lacks_user_listing():
    result = invoke(
        FakeRest(runs=2, user_checkpoints=False), "-f", "json", "checkpoint", "list", "--limit", "0"
    )
    assert result.exit_code == 0, result.stderr
    paths = [c["tinker_path"] for c in json.loads(result.stdout)["checkpoints"]]
    # newest first across runs
    assert paths == [
        "tinker://run1/sampler_weights/b",
        "tinker://run0/sampler_weights/b",
        "tinker://run1/weights/a",
        "tinker://run0/weights/a",
    ]


def test_checkpoint_list_run_and_table():
    result = invoke(FakeRest(), "checkpoint", "list", "--run-id", "run1")
    assert result.exit_code == 0
    assert "tinker://run1/weights/a" in result.stdout and "sampler_weights/b" in result.stdout


def test_checkpoint_info_json():
    result = invoke(FakeRest(), "-f", "json", "checkpoint", "info", "tinker://run2/weights/a")
    document = json.loads(result.stdout)
    assert document["checkpoint"]["checkpoint_id"] == "weights/a"
    assert document["training_run"]["training_run_id"] == "run2"


def test_delete_validates_all_paths_before_deleting():
    rest = FakeRest()
    result = invoke(
        rest, "checkpoint", "delete", "-y", "tinker://run0/weights/a", "not-a-path", "tinker://r/oops/x"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 2 invalid path(s), nothing deleted")
    assert rest.deleted == []


def test_delete_reports_successes_and_failures():
    rest = FakeRest()
    paths = ["tinker://run0/weights/a", "tinker://run0/weights/bad", "tinker://run1/sampler_weights/b"]
    result = invoke(rest, "-f", "json", "checkpoint", "delete", "-y", *paths)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["deleted_count"] == 2
    assert document["deleted"] == [paths[0], paths[2]]
    assert document["failed"][0]["tinker_path"] == paths[1]
    assert document["failed"][0]["error"].startswith("Resource not found (HTTP 404)")
    assert KEY not in result.output


def test_delete_confirmation_declined():
    rest = FakeRest()
    result = invoke(
        rest, "checkpoint", "delete", "tinker://run0/weights/a", "tinker://run0/weights/b", input="n\n"
    )
    assert result.exit_code == 1
    assert "Delete 2 checkpoint(s)?" in result.stderr
    assert rest.deleted == []
    result = invoke(rest, "checkpoint", "delete", "tinker://run0/weights/a", input="y\n")
    assert result.exit_code == 0 and rest.deleted == ["tinker://run0/weights/a"]


@pytest.mark.parametrize(
    "args",
    [
        ["checkpoint", "set-ttl", "tinker://r/weights/a"],
        ["checkpoint", "set-ttl", "tinker://r/weights/a", "--ttl", "4000", "--remove"],
        ["checkpoint", "set-ttl", "tinker://r/weights/a", "--ttl", "10"],
        ["sample", "hello"],
        ["sample", "--base-model", "m", "--model-path", "tinker://r/sampler_weights/x", "hi"],
        ["sample", "--base-model", "m"],
        ["sample", "--model-path", "r/x", "hi"],
        ["run", "list", "--limit", "-1"],
        ["--format", "xml", "version"],
    ],
)
def test_usage_errors_exit_2(args):
    rest = FakeRest()
    result = invoke(rest, *args)
    assert result.exit_code == 2, result.output
    assert rest.calls == []


def test_set_ttl_json():
    rest = FakeRest()
    result = invoke(rest, "-f", "json", "checkpoint", "set-ttl", "tinker://r/weights/a", "--remove")
    assert json.loads(result.stdout) == {"tinker_path": "tinker://r/weights/a", "ttl_seconds": None}
    assert rest.calls == [("ttl", ("tinker://r/weights/a", None))]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            status(404, "Training run not found"),
            "Error: Resource not found (HTTP 404): Training run not found",
        ),
        (status(401, f"bad key {KEY}"), "Error: Authentication failed: check the API key"),
        (status(402, "no credit"), "Error: Billing issue"),
        (status(403, "nope"), "Error: Permission denied (HTTP 403)"),
        (status(400, "limit too large"), "Error: Invalid request (HTTP 400): limit too large"),
        (status(422, "bad field"), "Error: Invalid data provided (HTTP 422)"),
        (status(429, "slow down"), "Error: Rate limit exceeded"),
        (status(503, "overloaded"), "Error: The Tinker API encountered an internal error (HTTP 503)"),
        (
            APIConnectionError(message="Connection error (ConnectError: refused)"),
            "Error: Could not connect to http://x.test",
        ),
    ],
)
def test_api_errors_map_to_one_line(error, message):
    rest = FakeRest(fail=error)
    result = CliRunner().invoke(
        cli,
        ["--api-key", KEY, "--base-url", "http://x.test", "run", "info", "run0"],
        obj=Dependencies(rest_client=lambda base_url, api_key: rest),
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1  # one line
    assert result.stdout == ""
    assert KEY not in result.output


def test_ctrl_c_exits_130():
    class Interrupting(FakeRest):
        def get_training_run(self, run_id: str) -> Done:
            raise KeyboardInterrupt

    result = invoke(Interrupting(), "run", "info", "run0")
    assert result.exit_code == 130


def test_unexpected_exception_is_one_line_error():
    class Broken(FakeRest):
        def get_training_run(self, run_id: str) -> Done:
            raise RuntimeError(f"boom with {KEY}")

    result = invoke(Broken(), "run", "info", "run0")
    assert result.exit_code == 1
    assert result.stderr == "Error: unexpected RuntimeError: boom with <redacted>\n"
