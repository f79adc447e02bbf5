"""`tinker_ext.doctor()` and `tinker-ext doctor` against in-process HTTP servers: each failure gives one
clear FAIL line (and SKIPs what depends on it), the key never appears, every step is bounded."""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner

import tinker_ext as tinker
from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._doctor.network import Target, tls_check
from tinker_ext.cli import cli

KEY = "tml-doctor-secret-key-4242"
MODEL = "tiny/model"
CAPABILITIES = {"supported_models": [{"model_name": MODEL, "max_context_length": 512}]}
CONFIG = {"fwdbwd_max_chunk_len": 64, "fwdbwd_max_chunk_bytes_count": 1000000}

ORDER = ["url", "tls", "server", "key", "wire", "model", "tokenizer", "clock", "limits"]
# (method, path) -> (status, JSON body or text); a missing entry answers 404 {"detail": "Not Found"}.
Routes = dict[tuple[str, str], tuple[int, Any]]


def tinker_routes(**changes: Any) -> Routes:
    routes: Routes = {
        ("GET", "/api/v1/healthz"): (200, {"status": "ok"}),
        ("GET", "/api/v1/get_server_capabilities"): (200, CAPABILITIES),
        ("POST", "/api/v1/client/config"): (200, CONFIG),
    }
    for key, value in changes.items():
        method, _, name = key.partition("_")
        path = {
            "healthz": "/api/v1/healthz",
            "caps": "/api/v1/get_server_capabilities",
            "config": "/api/v1/client/config",
        }[name]
        if value is None:
            routes.pop((method.upper(), path), None)
        else:
            routes[(method.upper(), path)] = value
    return routes


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, routes: Routes, *, date_offset: float = 0.0, check_key: bool = False, echo_key: bool = False
    ):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.date_offset = date_offset
        self.check_key = check_key
        self.echo_key = echo_key
        self.seen_keys: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer

    def log_message(self, *args: Any) -> None:
        pass

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "date":
            value = email.utils.formatdate(time.time() + self.server.date_offset, usegmt=True)
        super().send_header(keyword, value)

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        key = self.headers.get("x-api-key")
        self.server.seen_keys.append(key)
        status, body = self.server.routes.get((method, self.path), (404, {"detail": "Not Found"}))
        if self.server.check_key and key != KEY and self.path != "/api/v1/healthz":
            status, body = 401, {"detail": f"invalid key {key}" if self.server.echo_key else "invalid key"}
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if isinstance(body, str) else "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[FakeServer] = []

    def start(routes: Routes, **options: Any) -> FakeServer:
        server = FakeServer(routes, **options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("TINKER_BASE_URL", "TINKER_API_KEY", "TINKER_BASE_MODEL", "TINKER_TOKENIZER_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no stored credentials, no HF cache
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TINKER_EXT_SERVER_FACTS_DIR", str(tmp_path / "facts"))


def statuses(report: tinker.DoctorReport) -> dict[str, str]:
    return {c.name: c.status.value for c in report.checks}


def write_tokenizer(root: Any, model: str) -> None:
    from tokenizers import Tokenizer, models

    target = root / model
    target.mkdir(parents=True)
    Tokenizer(models.WordLevel({"a": 0, "b": 1, "[UNK]": 2}, unk_token="[UNK]")).save(
        str(target / "tokenizer.json")
    )


def test_a_healthy_server_is_all_ok(serve, monkeypatch, tmp_path):
    write_tokenizer(tmp_path / "tok", MODEL)
    monkeypatch.setenv("TINKER_TOKENIZER_DIR", str(tmp_path / "tok"))
    server = serve(tinker_routes(), check_key=True)
    report = tinker.doctor(server.url, KEY, MODEL, timeout=5)
    assert set(statuses(report).values()) == {"OK"}, report.render()
    assert [c.name for c in report.checks] == ORDER
    assert report.ok and report.exit_code == 0
    assert "checks keys" in report.check("key").summary
    assert report.check("wire").details == {
        "wire": "protobuf",
        "generations": {"json": "starts", "0.24": "starts", "0.25": "starts", "0.38": "starts"},
    }
    assert "max context 512" in report.check("model").summary
    assert "TINKER_TOKENIZER_DIR" in report.check("tokenizer").summary
    assert report.check("tokenizer").details["vocab_size"] == 3
    assert report.check("limits").details["published"] == CONFIG
    assert "chunks of 64 datums, 1,000,000 bytes" in report.check("limits").summary
    assert abs(report.check("clock").details["skew_s"]) <= 2.0
    assert KEY not in json.dumps(report.to_json()) and KEY not in report.render()


def test_a_legacy_server_negotiates_json_and_names_the_generations_that_cannot_start(serve):
    server = serve(tinker_routes(post_config=None))
    report = tinker.doctor(server.url, KEY, MODEL, timeout=5)
    wire = report.check("wire")
    assert wire.status.value == "OK" and wire.details["wire"] == "json"
    assert wire.details["generations"] == {
        "json": "starts",
        "0.24": "cannot start (no client/config)",
        "0.25": "cannot start (no client/config)",
        "0.38": "cannot start (no client/config)",
    }
    assert "none published" in report.check("limits").summary
    # a local server that takes any key: said, not failed
    assert "accepts any key" in report.check("key").summary and report.check("key").status.value == "OK"


def test_nothing_listening_is_one_fail_and_the_rest_skipped():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed below: nothing listens there
    report = tinker.doctor(f"http://127.0.0.1:{port}", KEY, MODEL, timeout=2)
    assert [c.name for c in report.failures] == ["url"]
    assert "nothing listening" in report.check("url").summary
    assert set(statuses(report).values()) == {"FAIL", "SKIP"}
    assert report.exit_code == 1


@pytest.mark.parametrize("url", ["ftp://example.com", "127.0.0.1:8000", "http://"])
def test_an_unusable_url_is_one_fail(url):
    report = tinker.doctor(url, KEY, MODEL, timeout=2)
    assert [c.name for c in report.failures] == ["url"]
    assert "TINKER_BASE_URL" in report.check("url").hint


def test_a_web_server_that_is_not_tinker_is_one_fail(serve):
    server = serve({("GET", "/"): (200, "<html>hello</html>")})
    report = tinker.doctor(server.url, KEY, MODEL, timeout=5)
    assert [c.name for c in report.failures] == ["server"]
    assert "not a Tinker API" in report.check("server").summary
    assert statuses(report)["key"] == "SKIP"


def test_a_hostile_server_refusing_the_key_with_401(serve):
    server = serve(tinker_routes(), check_key=True, echo_key=True)
    report = tinker.doctor(server.url, "tml-wrong-key-that-is-long-enough", MODEL, timeout=5)
    assert [c.name for c in report.failures] == ["key"]
    key = report.check("key")
    assert "401 Unauthorized" in key.summary and "api_key= / --api-key" in key.summary
    assert "tinker-ext auth login" in key.hint
    # the server echoed the key in its error body: the report does not
    assert "tml-wrong-key-that-is-long-enough" not in report.render()
    assert "tml-wrong-key-that-is-long-enough" not in json.dumps(report.to_json())
    assert statuses(report)["model"] == "SKIP"


def test_403_and_a_missing_key(serve):
    server = serve(tinker_routes(get_caps=(403, {"detail": "not in this project"})))
    report = tinker.doctor(server.url, KEY, MODEL, timeout=5)
    assert (
        "403 Forbidden" in report.check("key").summary
        and "not in this project" in report.check("key").summary
    )
    no_key = tinker.doctor(server.url, None, MODEL, timeout=5)
    assert no_key.check("key").status.value == "FAIL" and "no API key" in no_key.check("key").summary


def test_a_model_the_server_does_not_serve_is_one_fail(serve):
    server = serve(tinker_routes())
    report = tinker.doctor(server.url, KEY, "nope/missing", timeout=5)
    assert [c.name for c in report.failures] == ["model"]
    assert "'nope/missing' is not served here; served: tiny/model" in report.check("model").summary
    assert statuses(report)["tokenizer"] == "SKIP"


def test_no_model_given_skips_the_model_checks(serve):
    server = serve(tinker_routes())
    report = tinker.doctor(server.url, KEY, timeout=5)
    assert statuses(report)["model"] == statuses(report)["tokenizer"] == "SKIP"
    assert report.ok


def test_a_tokenizer_nowhere_on_this_machine_is_a_warning(serve):
    server = serve(tinker_routes())
    check = tinker.doctor(server.url, KEY, MODEL, timeout=5).check("tokenizer")
    assert check.status.value == "WARN" and "hub is off" in check.summary
    assert "TINKER_TOKENIZER_DIR" in check.hint


@pytest.mark.parametrize(("offset", "status"), [(120.0, "WARN"), (-3600.0, "FAIL")])
def test_clock_skew(serve, offset, status):
    server = serve(tinker_routes(), date_offset=offset)
    check = tinker.doctor(server.url, KEY, timeout=5).check("clock")
    assert check.status.value == status
    assert check.details["skew_s"] == pytest.approx(offset, abs=2.0)
    assert "NTP" in check.hint


def test_https_to_a_plain_http_port_fails_the_tls_line(serve):
    server = serve(tinker_routes())
    report = tinker.doctor(server.url.replace("http://", "https://"), KEY, timeout=5)
    assert [c.name for c in report.failures] == ["tls"]
    assert "TLS handshake" in report.check("tls").summary


def test_plain_http_is_a_warning_off_loopback_only():
    assert tls_check(Target("http://127.0.0.1:1", "http", "127.0.0.1", 1), 1.0).status.value == "OK"
    remote = tls_check(Target("http://10.1.2.3:80", "http", "10.1.2.3", 80), 1.0)
    assert remote.status.value == "WARN" and "plain HTTP (no TLS)" in remote.summary


def test_a_server_that_never_answers_is_bounded_by_the_timeout():
    with socket.socket() as sock:  # accepts connections (the backlog) but never reads or answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        report = tinker.doctor(f"http://127.0.0.1:{sock.getsockname()[1]}", KEY, timeout=0.5)
    assert [c.name for c in report.failures] == ["server"]
    assert "timeout" in report.check("server").summary.lower()


def test_bad_timeout_refused():
    for bad in (0, -1, float("nan"), True, 601):
        with pytest.raises(InvalidInputError, match="timeout"):
            tinker.doctor("http://127.0.0.1:1", KEY, timeout=bad)


def test_cli_text_and_json_and_exit_codes(serve):
    server = serve(tinker_routes())
    runner = CliRunner()
    ok = runner.invoke(cli, ["doctor", "--base-url", server.url, "--api-key", KEY, "--base-model", MODEL])
    assert ok.exit_code == 0, ok.output
    lines = ok.output.strip().splitlines()
    assert lines[0] == f"tinker-ext doctor: {server.url} (base model {MODEL})"
    assert [line.split()[1] for line in lines[1:-1]] == ORDER
    assert KEY not in ok.output
    bad = runner.invoke(
        cli,
        [
            "--format",
            "json",
            "doctor",
            "--base-url",
            server.url,
            "--api-key",
            KEY,
            "--base-model",
            "x/y",
            "--timeout",
            "3",
        ],
    )
    assert bad.exit_code == 1
    document = json.loads(bad.output)
    assert document["ok"] is False and document["schema_version"] == 1
    assert [c["name"] for c in document["checks"] if c["status"] == "FAIL"] == ["model"]
    assert KEY not in bad.output


def test_the_cli_names_where_the_key_came_from(serve, monkeypatch):
    server = serve(tinker_routes(), check_key=True)
    monkeypatch.setenv("TINKER_API_KEY", "tml-from-the-environment-refused")
    result = CliRunner().invoke(cli, ["doctor", "--base-url", server.url])
    assert result.exit_code == 1
    assert "refused the key from TINKER_API_KEY (401 Unauthorized" in result.output
    given = CliRunner().invoke(cli, ["doctor", "--base-url", server.url, "--api-key", KEY])
    assert given.exit_code == 0 and "key from api_key= / --api-key accepted" in given.output
    assert "tml-from-the-environment-refused" not in result.output + given.output
