"""Sampler handles and pickling: a SamplingClient crosses processes without credentials, keeps sampling on
the same sampling session, and an environment API key is never sent to a server the handle names but the
user did not configure."""

from __future__ import annotations

import base64
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _fault_server import FakeTiming, FakeTinker
from test_surface_drop_in import loopback

import tinker_ext as tinker

KEY = "tml-handle-secret-99"


def _state(handle: str) -> dict[str, object]:
    state: dict[str, object] = json.loads(base64.urlsafe_b64decode(handle + "=" * (-len(handle) % 4)))
    return state


def test_handle_holds_no_credentials_and_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeTinker()
    monkeypatch.setenv("TINKER_BASE_URL", "http://t")
    sc = tinker.ServiceClient(
        api_key=KEY,
        base_url="http://t",
        default_headers_overrides={"X-Team": "a", "X-API-Key": KEY},
        _transport=server.transport(),
        _timing=FakeTiming().timing(),
    )
    sampler = sc.create_sampling_client(base_model="tiny/model", record_stability_info=True)
    handle = sampler.get_sampler_handle()
    assert KEY not in handle and KEY.encode() not in pickle.dumps(sampler)
    state = _state(handle)
    assert (
        state["sampling_session_id"] == sampler.sampling_session_id and state["session_id"] == sc.session_id
    )
    assert state["holder"] == {
        "base_url": "http://t",
        "default_headers_overrides": {"X-Team": "a"},
        "api_key": None,
    }
    monkeypatch.setenv("TINKER_API_KEY", "tml-env")
    back = pickle.loads(pickle.dumps(sampler))
    assert isinstance(back, tinker.SamplingClient)
    assert (back.sampling_session_id, back.get_base_model(), back.record_stability_info) == (
        sampler.sampling_session_id,
        "tiny/model",
        True,
    )
    assert back.get_sampler_handle() == handle  # the session id survives a second hop
    sc.close()


def test_env_key_is_not_sent_to_a_server_the_user_did_not_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINKER_API_KEY", "tml-env")
    monkeypatch.setenv("TINKER_BASE_URL", "http://mine")
    raw = {"sampling_session_id": "s:0", "holder": {"base_url": "http://elsewhere", "api_key": None}}
    handle = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode()
    with pytest.raises(tinker.InvalidInputError, match="api_key="):
        tinker.SamplingClient.from_sampler_handle(handle)
    client = tinker.SamplingClient.from_sampler_handle(handle, api_key="tml-explicit")
    assert client.sampling_session_id == "s:0"
    for bad in ("", "%%%", base64.urlsafe_b64encode(b"[1]").decode()):
        with pytest.raises(tinker.InvalidInputError):
            tinker.SamplingClient.from_sampler_handle(bad)


def test_create_wraps_an_existing_sampling_session(server: FakeTinker, service: tinker.ServiceClient) -> None:
    wrapped = tinker.SamplingClient.create(
        service.holder, sampling_session_id="samp-x", base_model="b"
    ).result()
    assert wrapped.sampling_session_id == "samp-x"
    created = tinker.SamplingClient.create(service.holder, base_model="tiny/model").result()
    assert created.sampling_session_id.startswith("samp")
    assert len(server.bodies("/api/v1/create_sampling_session")) == 1


def test_a_pickled_sampler_samples_in_another_process(tmp_path: Path) -> None:
    fake = FakeTinker()
    with loopback(fake) as url:
        env = {**os.environ, "TINKER_BASE_URL": url, "TINKER_API_KEY": KEY}
        sc = tinker.ServiceClient(api_key=KEY, base_url=url)
        sampler = sc.create_sampling_client(base_model="tiny/model")
        blob = tmp_path / "sampler.pickle"
        blob.write_bytes(pickle.dumps(sampler))
        child = textwrap.dedent(
            f"""
            import pickle, tinker_ext as t
            s = pickle.loads(open({str(blob)!r}, "rb").read())
            r = s.sample(t.ModelInput.from_ints([1]), 1, t.SamplingParams(max_tokens=2)).result()
            print(r.sequences[0].tokens)
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", child], env=env, capture_output=True, text=True, timeout=120
        )
        sc.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[1, 2]"
    samples = [r for r in fake.requests if r.path == "/api/v1/asample"]
    assert len(samples) == 1 and samples[0].body["sampling_session_id"] == sampler.sampling_session_id
    assert samples[0].headers["X-API-Key"] == KEY
    assert KEY.encode() not in blob.read_bytes()
