"""`tinker-ext doctor` on the real local servers: all OK on each; a wrong URL and a wrong model give one
clear FAIL line each; a wrong key shows what a local server does with it (accepts any key). The texts are
printed (run with -s to see them)."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

import tinker_ext as tinker
from tinker_ext.cli import cli

pytestmark = pytest.mark.integration

CHECKS = ["url", "tls", "server", "key", "wire", "model", "tokenizer", "clock", "limits"]


def show(title: str, report: tinker.DoctorReport) -> None:
    print(f"\n--- {title}\n{report.render()}")


def test_all_ok_on_the_real_server(tinker_server):
    report = tinker.doctor(
        tinker_server.base_url, tinker_server.api_key, tinker_server.base_model, timeout=30
    )
    show(f"doctor on {tinker_server.kind}", report)
    assert [c.name for c in report.checks] == CHECKS
    assert {c.name: c.status.value for c in report.checks} == dict.fromkeys(CHECKS, "OK"), report.render()
    # the wire tinker-ext negotiates with each: skyrl-tx 0.3.0 has no client/config (legacy JSON wire)
    expected_wire = "json" if tinker_server.kind == "skyrl-tx" else "protobuf"
    assert report.check("wire").details["wire"] == expected_wire
    assert f"{tinker_server.base_model} is served" in report.check("model").summary
    assert tinker_server.api_key not in report.render()


def test_cli_json_on_the_real_server(tinker_server):
    result = CliRunner().invoke(
        cli,
        [
            "--format",
            "json",
            "doctor",
            "--base-url",
            tinker_server.base_url,
            "--api-key",
            tinker_server.api_key,
            "--base-model",
            tinker_server.base_model,
            "--timeout",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["ok"] is True and [c["name"] for c in document["checks"]] == CHECKS


def test_a_wrong_model_is_one_fail(tinker_server):
    report = tinker.doctor(tinker_server.base_url, tinker_server.api_key, "nope/not-served", timeout=30)
    show(f"doctor on {tinker_server.kind}, wrong model", report)
    assert [c.name for c in report.failures] == ["model"]
    assert f"served: {tinker_server.base_model}" in report.check("model").summary
    assert report.exit_code == 1


def test_a_wrong_key_on_a_local_server(tinker_server):
    report = tinker.doctor(
        tinker_server.base_url, "tml-a-key-nobody-issued", tinker_server.base_model, timeout=30
    )
    show(f"doctor on {tinker_server.kind}, wrong key", report)
    assert report.ok  # local servers accept any key: the key line says so
    assert "accepts any key" in report.check("key").summary


@pytest.mark.local_server_kinds("skyrl")
def test_a_wrong_url_is_one_fail(tinker_server):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = tinker.doctor(
        f"http://127.0.0.1:{port}", tinker_server.api_key, tinker_server.base_model, timeout=5
    )
    show("doctor on a wrong URL", report)
    assert [c.name for c in report.failures] == ["url"]
    # the right host, a wrong path: a Tinker server answers, but not there
    wrong_path = tinker.doctor(tinker_server.base_url + "/v2", tinker_server.api_key, timeout=10)
    show("doctor on a wrong path", wrong_path)
    assert [c.name for c in wrong_path.failures] == ["server"]
