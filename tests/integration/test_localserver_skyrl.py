"""skyrl 0.4.0 really runs here: the local `skyrl` server, probed without tinker_ext.

Raw httpx shows the endpoints and the server facts a client meets (localserver/README.md lists them);
the official tinker 0.25 SDK - the generation skyrl 0.4.0 pins, installed in the server's own venv -
drives a real training run and a sample through official_sdk025_flow.py in a subprocess. When a
tinker_ext test fails on this server, this file tells whether the server itself works.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.local_server_kinds("skyrl"), pytest.mark.timeout(300)]

FLOW_SCRIPT = Path(__file__).resolve().parent / "official_sdk025_flow.py"
PROTOBUF = "application/x-protobuf"
FLOW_TIMEOUT = 240.0
# Token ids valid for the tiny model's 1024-token vocabulary.
PROMPT = list(range(101, 111))


@pytest.fixture(scope="module")
def http(tinker_server) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{tinker_server.base_url}/api/v1",
        headers={"X-API-Key": tinker_server.api_key},
        timeout=httpx.Timeout(30.0, read=120.0),
    ) as client:
        yield client


@pytest.fixture(scope="module")
def session_id(http) -> str:
    response = http.post("/create_session", json={"tags": [], "user_metadata": {}, "sdk_version": "0.25.0"})
    assert response.status_code == 200, response.text
    return str(response.json()["session_id"])


@pytest.fixture(scope="module")
def model_id(http, session_id, tinker_server) -> str:
    response = http.post(
        "/create_model",
        json={
            "session_id": session_id,
            "base_model": tinker_server.base_model,
            "lora_config": {"rank": 4, "seed": 1},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    _retrieve(http, body["request_id"])
    return str(body["model_id"])


def _retrieve(http: httpx.Client, request_id: str, **headers: str) -> httpx.Response:
    """The finished future (skyrl long-polls retrieve_future until the result exists)."""
    response = http.post("/retrieve_future", json={"request_id": request_id}, headers=headers)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture(scope="module")
def sdk_flow(tinker_server) -> dict[str, Any]:
    """Run the official 0.25 SDK flow with the server venv's python; its last stdout line is JSON."""
    assert tinker_server.server_python is not None
    result = subprocess.run(
        [
            str(tinker_server.server_python),
            str(FLOW_SCRIPT),
            tinker_server.base_url,
            tinker_server.base_model,
        ],
        capture_output=True,
        text=True,
        timeout=FLOW_TIMEOUT,
        # Nothing of the test venv (PYTHONPATH, VIRTUAL_ENV) leaks into the server venv's python.
        env={
            "TINKER_API_KEY": tinker_server.api_key,
            "PATH": "/usr/bin:/bin",
            "HOME": str(Path.home()),
            "HF_HUB_OFFLINE": "1",
        },
    )
    assert result.returncode == 0, (
        f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_healthz(http):
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_session_over_json(session_id):
    assert session_id.startswith("session_")


def test_capabilities_list_the_tiny_model(http, tinker_server):
    response = http.get("/get_server_capabilities")
    assert response.status_code == 200
    assert tinker_server.base_model in [m["model_name"] for m in response.json()["supported_models"]]


def test_official_sdk_025_training_reduces_loss(sdk_flow):
    assert sdk_flow["sdk_version"].startswith("0.25.")
    losses = sdk_flow["losses"]
    assert len(losses) == 5
    # Adam at lr 1e-2 need not lower the loss at every step; five steps lower it clearly.
    assert losses[-1] < losses[0] - 0.1, losses


def test_official_sdk_025_sample_returns_tokens(sdk_flow):
    tokens = sdk_flow["sample_tokens"]
    assert 0 < len(tokens) <= 8
    assert all(isinstance(t, int) and 0 <= t < 1024 for t in tokens)


def test_state_restored_into_a_new_model_gives_the_same_loss(sdk_flow):
    assert sdk_flow["restored_forward_loss"] == pytest.approx(sdk_flow["trained_forward_loss"], abs=1e-5)


def test_load_weights_into_a_trained_model_is_refused_with_400(sdk_flow):
    error = sdk_flow["load_into_trained_error"]
    assert error is not None, "load_state into a model that has trained succeeded"
    assert "LoadWeights is not permitted" in error["message"]
    assert error["status_code"] == 400 or "400" in error["message"]


def test_optim_step_metrics_have_no_reduction_suffix(sdk_flow):
    keys = sdk_flow["optim_metric_keys"]
    assert keys, "optim_step returned no metrics"
    assert all(":" not in key for key in keys), keys


def test_json_forward_backward_is_refused_with_415(http, model_id):
    datum = {
        "model_input": {"chunks": [{"type": "encoded_text", "tokens": PROMPT[:-1]}]},
        "loss_fn_inputs": {
            "target_tokens": {"data": PROMPT[1:], "dtype": "int64", "shape": [len(PROMPT) - 1]}
        },
    }
    response = http.post(
        "/forward_backward",
        json={"model_id": model_id, "forward_backward_input": {"data": [datum], "loss_fn": "cross_entropy"}},
    )
    assert response.status_code == 415, response.text
    assert PROTOBUF in response.text


def test_forward_endpoint_is_gone(http, model_id):
    response = http.post(
        "/forward", json={"model_id": model_id, "forward_input": {"data": [], "loss_fn": "cross_entropy"}}
    )
    assert response.status_code == 404


def test_client_config_answers(http):
    response = http.post("/client/config", json={"sdk_version": "0.25.0"})
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), dict)


def test_sample_promise_has_no_sequence_ids_and_result_is_protobuf_even_for_json(http, tinker_server):
    response = http.post(
        "/asample",
        json={
            "prompt": {"chunks": [{"type": "encoded_text", "tokens": PROMPT}]},
            "num_samples": 1,
            "sampling_params": {"max_tokens": 4, "seed": 3, "temperature": 1.0},
            "base_model": tinker_server.base_model,
        },
    )
    assert response.status_code == 200, response.text
    promise = response.json()
    assert "request_id" in promise
    assert "sample_sequence_ids" not in promise
    result = _retrieve(http, promise["request_id"], Accept="application/json")
    assert result.headers["content-type"].startswith(PROTOBUF)
    assert result.content and not result.content.lstrip().startswith(b"{")


def test_delete_checkpoint_answers_204(http, sdk_flow):
    """DELETE takes the `weights/<name>` form (a bare name is 400), whatever the list calls it."""
    model_id = sdk_flow["model_id"]
    path = sdk_flow["checkpoint"]  # tinker://MODEL/weights/sdk025-state
    listed = http.get(f"/training_runs/{model_id}/checkpoints")
    assert listed.status_code == 200, listed.text
    assert path in [c["tinker_path"] for c in listed.json()["checkpoints"]]
    response = http.delete(f"/training_runs/{model_id}/checkpoints/weights/sdk025-state")
    assert response.status_code == 204, response.text
    after = http.get(f"/training_runs/{model_id}/checkpoints").json()["checkpoints"]
    assert path not in [c["tinker_path"] for c in after]
