"""What the CLI tells a newcomer: options before or after the command, errors that say which side lacks
what (in CLI words, uncut), `auth login --no-verify`, no tokenizer lookup for token-id prompts, and
every client closed on every path."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from _hostile_server import RawRequest, RawServer, json_answer
from click.testing import CliRunner
from test_cli import Done

from tinker_ext._core.exceptions import status_error_class
from tinker_ext.cli import cli
from tinker_ext.cli._app import Dependencies
from tinker_ext.types import (
    Checkpoint,
    CheckpointsListResponse,
    GetServerCapabilitiesResponse,
    SampledSequence,
    SampleResponse,
    SupportedModel,
)

KEY = "tml-guidance-test-key"


def not_found(detail: str, method: str = "GET", path: str = "/api/v1/sessions") -> Exception:
    request = httpx.Request(method, f"http://tinker.test{path}")
    response = httpx.Response(404, request=request)
    return status_error_class(404)("Error code: 404", response=response, body={"detail": detail})


class Closable:
    """Counts close() calls; answers what a test tells it to."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.closed = 0

    def close(self) -> None:
        self.closed += 1

    def __getattr__(self, name: str) -> Any:
        if name not in self.answers:
            raise AttributeError(name)
        return lambda *args, **kwargs: Done(self.answers[name])


@pytest.fixture(autouse=True)
def no_stored_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # ~/.tinker/credentials.json of this test only
    monkeypatch.delenv("TINKER_API_KEY", raising=False)
    monkeypatch.delenv("TINKER_BASE_URL", raising=False)


def run(args: list[str], rest: Any = None, service: Any = None, input: str | None = None) -> Any:
    deps = Dependencies(rest_client=lambda url, key: rest, service_client=lambda url, key: service)
    return CliRunner().invoke(cli, args, obj=deps, input=input)


def models() -> GetServerCapabilitiesResponse:
    return GetServerCapabilitiesResponse(supported_models=[SupportedModel(model_name="tiny/qwen3-2l")])


def test_global_options_work_before_and_after_the_command():
    seen: list[tuple[str, str | None]] = []

    def rest_client(url: str, key: str | None) -> Closable:
        seen.append((url, key))
        return Closable(get_server_capabilities=models())

    deps = Dependencies(rest_client=rest_client)
    after = ["model", "list", "--format", "json", "--base-url", "http://after.test/", "--api-key", KEY]
    before = ["-f", "json", "--base-url", "http://before.test", "--api-key", KEY, "model", "list"]
    for args in (after, before):
        result = CliRunner().invoke(cli, args, obj=deps)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["models"][0]["model_name"] == "tiny/qwen3-2l"
    assert seen == [("http://after.test", KEY), ("http://before.test", KEY)]
    # After the command, it overrides the group's value.
    result = CliRunner().invoke(
        cli, ["-f", "table", "--api-key", KEY, "model", "list", "-f", "json"], obj=deps
    )
    assert json.loads(result.stdout)["models"]


def test_every_client_is_closed_on_success_and_on_failure():
    ok = Closable(get_server_capabilities=models())
    assert run(["--api-key", KEY, "model", "list"], rest=ok).exit_code == 0
    failing = Closable(list_sessions=not_found("Not Found"))
    assert run(["--api-key", KEY, "session", "list"], rest=failing).exit_code == 1
    assert (ok.closed, failing.closed) == (1, 1)


def test_a_404_for_a_route_the_server_lacks_says_so():
    rest = Closable(list_sessions=not_found("Not Found"))
    result = run(["--api-key", KEY, "--base-url", "http://own.test", "session", "list"], rest=rest)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The server at http://own.test does not implement GET /api/v1/sessions (HTTP 404: no such "
        "route); this command needs a server that has it, such as the hosted service\n"
    )
    # A route that exists but finds nothing keeps "not found".
    rest = Closable(get_training_run=not_found("Training run not found", path="/api/v1/training_runs/x"))
    result = run(["--api-key", KEY, "run", "info", "x"], rest=rest)
    assert result.stderr == "Error: Resource not found (HTTP 404): Training run not found\n"


def test_no_key_names_the_cli_ways_to_give_one():
    result = run(["model", "list"], rest=Closable(get_server_capabilities=models()))
    assert result.exit_code == 1
    assert "api_key" not in result.stderr
    assert "--api-key" in result.stderr and "TINKER_API_KEY" in result.stderr
    assert "tinker-ext auth login" in result.stderr and "--no-verify" in result.stderr


def test_auth_status_without_a_key_exits_1_and_says_how_to_add_one():
    result = run(["auth", "status"])
    assert result.exit_code == 1
    assert "Credentials available: no" in result.stdout and "--api-key" in result.stderr
    result = run(["-f", "json", "auth", "status"])
    assert result.exit_code == 1 and json.loads(result.stdout)["credentials_available"] is False


def test_long_errors_are_not_cut_before_their_hint():
    class Failing(Closable):
        def create_sampling_client(self, **kwargs: Any) -> Done:
            return Done(self)

        def get_tokenizer(self) -> Any:
            from tinker_ext._tokenizers.loader import TokenizerNotFoundError

            raise TokenizerNotFoundError(
                "no local tokenizer for 'x' " + "and so on " * 40 + "set TINKER_TOKENIZER_DIR"
            )

    result = run(["--api-key", KEY, "sample", "--base-model", "x", "hi"], service=Failing())
    assert result.exit_code == 1
    assert "…" not in result.stderr
    assert result.stderr.rstrip().endswith("or pass --prompt-tokens 1,2,3 instead of text")
    assert "set TINKER_TOKENIZER_DIR" in result.stderr


def test_sample_with_token_ids_never_looks_up_a_tokenizer():
    class Sampler(Closable):
        def create_sampling_client(self, **kwargs: Any) -> Done:
            return Done(self)

        def get_tokenizer(self) -> Any:
            raise AssertionError("a tokenizer was looked up")

        def sample(self, prompt: Any, num_samples: int, sampling_params: Any) -> Done:
            assert prompt.to_ints() == [1, 2, 3]
            return Done(
                SampleResponse(
                    sequences=[SampledSequence(stop_reason="length", sequence_id="s0", _tokens_list=[7, 8])]
                )
            )

    service = Sampler()
    for fmt in ("table", "json"):
        args = ["--api-key", KEY, "-f", fmt, "sample", "--base-model", "m", "--prompt-tokens", "1,2,3"]
        result = run(args, service=service)
        assert result.exit_code == 0, result.output
        assert "7 8" in result.stdout or json.loads(result.stdout)["completions"][0]["tokens"] == [7, 8]
    assert service.closed == 2


def test_download_onto_an_existing_target_names_the_cli_flag(tmp_path: Path):
    (tmp_path / "run1_weights_a").mkdir()
    args = ["--api-key", KEY, "checkpoint", "download", "tinker://run1/weights/a", "-o", str(tmp_path)]
    result = run(args, rest=Closable())
    assert result.exit_code == 1
    assert "pass --force to overwrite it" in result.stderr and "force=True" not in result.stderr


def _key_route_server(status: int, body: bytes) -> RawServer:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(json_answer(body, status=status))

    return RawServer(handler)


def test_auth_login_on_a_server_without_key_validation_offers_no_verify(tmp_path: Path):
    with _key_route_server(404, b'{"detail": "Not Found"}') as server:
        result = run(["--base-url", server.url, "auth", "login"], input="tml-mine\n")
        assert result.exit_code == 1
        assert "does not implement GET /api/v1/auth/apikey/me" in result.stderr
        assert "tinker-ext auth login --no-verify" in result.stderr
        assert "thinkingmachines.ai/keys" not in result.output  # not the hosted service: no hosted link
        assert not (tmp_path / ".tinker" / "credentials.json").exists()

        result = run(["--base-url", server.url, "auth", "login", "--no-verify"], input="tml-mine\n")
        assert result.exit_code == 0, result.output
        assert server.requests[-1].path == "/api/v1/auth/apikey/me"  # --no-verify sent nothing
        assert len(server.requests) == 1
    stored = json.loads((tmp_path / ".tinker" / "credentials.json").read_text())
    assert stored["keys"][stored["default"]]["key"] == "tml-mine"


PATH = "tinker://model_440b693b/sampler_weights/a-fairly-long-checkpoint-name"


def _checkpoint_rest() -> Closable:
    listed = Checkpoint(
        checkpoint_id="sampler_weights/x",
        checkpoint_type="sampler",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        tinker_path=PATH,
    )
    return Closable(list_checkpoints=CheckpointsListResponse(checkpoints=[listed]))


@pytest.mark.parametrize(
    ("env", "boxed"),
    [
        ({"TTY_COMPATIBLE": "0"}, False),  # piped: plain
        ({"TTY_COMPATIBLE": "1", "COLUMNS": "80"}, False),  # the path does not fit a table at 80 columns
        ({"TTY_COMPATIBLE": "1", "COLUMNS": "160"}, True),  # it fits: a table, the path unbroken
    ],
    ids=["piped", "80 columns", "160 columns"],
)
def test_tables_keep_paths_whole_and_go_plain_when_piped_or_narrow(env: dict[str, str], boxed: bool):
    deps = Dependencies(rest_client=lambda url, key: _checkpoint_rest())
    args = ["--api-key", KEY, "checkpoint", "list", "--run-id", "model_440b693b"]
    result = CliRunner(env={"FORCE_COLOR": None, **env}).invoke(cli, args, obj=deps)
    assert result.exit_code == 0, result.output
    lines = [
        re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in result.stdout.splitlines()
    ]  # no colour codes
    assert [line for line in lines if PATH in line], result.stdout  # on one line, whole
    assert ("┃" in result.stdout) is boxed
    if boxed:
        assert max(len(line) for line in lines) <= 160
    else:
        assert lines[0] == "1 of 1 checkpoint(s), newest first"
        assert lines[1].split() == [
            "Checkpoint",
            "ID",
            "Type",
            "Size",
            "Public",
            "Created",
            "Expires",
            "Path",
        ]
