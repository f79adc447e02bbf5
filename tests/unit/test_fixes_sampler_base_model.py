"""The base model of a SamplingClient created from a sampler path: GET /samplers/{id}, then
weights_info, then GET /training_runs/{run id} (the only one of the three skyrl-tx answers for
sampler paths)."""

from __future__ import annotations

import httpx
import pytest
from _fault_server import FakeTinker, Recorded, json_response

import tinker_ext as tinker

WEIGHTS_INFO = "/api/v1/weights_info"


@pytest.fixture
def server() -> FakeTinker:
    fake = FakeTinker()
    # skyrl-tx: no /samplers route (the fake's default 404), weights_info rejects sampler paths.
    fake.handlers[WEIGHTS_INFO] = lambda rec: json_response(400, {"detail": "Invalid tinker path"})
    return fake


def serve_training_run(server: FakeTinker, run_id: str, base_model: str) -> None:
    def handler(rec: Recorded) -> httpx.Response:
        return json_response(
            200,
            {
                "training_run_id": run_id,
                "base_model": base_model,
                "model_owner": "default",
                "is_lora": True,
                "corrupted": False,
                "lora_rank": 4,
                "last_request_time": "2026-01-01T00:00:00",
                "last_checkpoint": None,
                "last_sampler_checkpoint": None,
                "user_metadata": None,
            },
        )

    server.handlers[f"/api/v1/training_runs/{run_id}"] = handler


@pytest.mark.parametrize(
    "path", ["tinker://model_ab12/e2e-sampler", "tinker://model_ab12/sampler_weights/e2e-sampler"]
)
def test_base_model_from_the_training_run(
    server: FakeTinker, service: tinker.ServiceClient, path: str
) -> None:
    serve_training_run(server, "model_ab12", "tiny/qwen3-2l")
    sampler = service.create_sampling_client(model_path=path)
    assert sampler.get_base_model() == "tiny/qwen3-2l"
    tried = [p for p in server.paths() if p not in ("/api/v1/create_session", "/api/v1/session_heartbeat")]
    assert tried == [
        "/api/v1/create_sampling_session",
        f"/api/v1/samplers/{sampler.sampling_session_id}",
        WEIGHTS_INFO,
        "/api/v1/training_runs/model_ab12",
    ]
    assert server.bodies(WEIGHTS_INFO) == [{"tinker_path": path}]


def test_earlier_source_wins(server: FakeTinker, service: tinker.ServiceClient) -> None:
    server.handlers[WEIGHTS_INFO] = lambda rec: json_response(
        200, {"base_model": "from/weights-info", "is_lora": True, "lora_rank": 4}
    )
    serve_training_run(server, "model_ab12", "from/training-run")
    sampler = service.create_sampling_client(model_path="tinker://model_ab12/sampler_weights/s")
    assert sampler.get_base_model() == "from/weights-info"
    assert "/api/v1/training_runs/model_ab12" not in server.paths()


def test_unknown_everywhere_is_a_clear_error(server: FakeTinker, service: tinker.ServiceClient) -> None:
    # the training run route is not served either (404)
    sampler = service.create_sampling_client(model_path="tinker://model_zz/sampler_weights/s")
    assert "/api/v1/training_runs/model_zz" in server.paths()
    with pytest.raises(tinker.TinkerError, match="base model of this sampling client is unknown"):
        sampler.get_base_model()


def test_unparsable_path_is_refused_before_anything_is_sent(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    # a path the checkpoint-path grammar rejects (4 segments): refused at the call (issue 9)
    with pytest.raises(tinker.InvalidInputError, match="4 segments"):
        service.create_sampling_client(model_path="tinker://run/a/b/c")
    assert server.paths() == []
