"""The official SDK's credentials file: `tinker-ext auth login/logout` write it (validated against the
server, 0600, atomic), and clients use its default key when TINKER_API_KEY is not set (as 0.38 does)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest
from _fault_server import FakeTinker, Recorded, json_response
from click.testing import CliRunner
from test_surface_drop_in import loopback

import tinker_ext as tinker
from tinker_ext._session.credentials_file import stored_api_key
from tinker_ext.cli import cli

KEY = "tml-stored-key-31415"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("TINKER_API_KEY", raising=False)
    return tmp_path


def _fake() -> FakeTinker:
    fake = FakeTinker()

    def me(rec: Recorded) -> httpx.Response:
        ok = rec.headers["X-API-Key"] == KEY
        body = {"key_id": 42, "name": "laptop", "details": {"user_details": {"email": "a@b.c"}}}
        return json_response(200, body) if ok else json_response(401, {"detail": "bad key"})

    fake.handlers["/api/v1/auth/apikey/me"] = me
    return fake


def test_login_stores_a_validated_key_that_clients_then_use(home: Path) -> None:
    fake = _fake()
    with loopback(fake) as url:
        refused = CliRunner().invoke(cli, ["--base-url", url, "auth", "login"], input="tml-wrong\n")
        assert refused.exit_code == 1 and "401" in refused.stderr
        assert stored_api_key() is None
        done = CliRunner().invoke(cli, ["--base-url", url, "auth", "login"], input=f"{KEY}\n")
        assert done.exit_code == 0, done.stderr
        again = CliRunner().invoke(cli, ["--base-url", url, "auth", "login"], input=f"{KEY}\n")
        assert again.exit_code == 1 and "Already logged in" in again.stderr
        path = home / ".tinker" / "credentials.json"
        assert (
            stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        )
        stored = json.loads(path.read_text())
        assert stored["default"] == "42" and stored["keys"]["42"]["type"] == "manual"
        assert stored["keys"]["42"]["key"] == KEY and KEY not in done.stdout + done.stderr
        with tinker.ServiceClient(base_url=url) as sc:  # no api_key, no TINKER_API_KEY: the stored key
            sc.create_sampling_client(base_model="tiny/model")
        sent = [r for r in fake.requests if r.path == "/api/v1/create_session"]
        assert sent and sent[0].headers["X-API-Key"] == KEY
        assert tinker.auth.get_tinker_token() == KEY and tinker.auth.tinker_has_credentials()
        out = CliRunner().invoke(cli, ["--base-url", url, "auth", "logout"])
        assert out.exit_code == 0 and stored_api_key() is None
        assert CliRunner().invoke(cli, ["--base-url", url, "auth", "logout"]).exit_code == 1


def test_an_unreadable_credentials_file_holds_no_key(home: Path) -> None:
    path = home / ".tinker" / "credentials.json"
    path.parent.mkdir()
    path.write_text("{not json")
    assert stored_api_key() is None
    path.write_text(json.dumps({"version": 1, "default": "x", "keys": {"x": {"type": "manual"}}}))
    assert stored_api_key() is None
    with pytest.raises(tinker.InvalidInputError, match="auth login"):
        tinker.ServiceClient(base_url="http://t")
