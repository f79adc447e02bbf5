"""Checkpoint helpers against the real local server: save, list, download the archive, resume."""

from __future__ import annotations

from typing import Any

import pytest

import tinker_ext as tinker
from tinker_ext._rest.checkpoints import download_checkpoint, resume
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

pytestmark = pytest.mark.integration


def resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


@pytest.fixture(scope="module")
def saved(tinker_server):
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    training = resolved(
        service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=1)
    )
    state_path = resolved(training.save_state("ckpt_state")).path
    sampler_path = resolved(training.save_weights_for_sampler("ckpt_sampler")).path
    yield service, training, state_path, sampler_path
    service.close()


def test_saved_paths_parse_and_are_listed(saved, tinker_server):
    _, _, state_path, sampler_path = saved
    state = ParsedCheckpointTinkerPath.from_tinker_path(state_path)
    sampler = ParsedCheckpointTinkerPath.from_tinker_path(sampler_path)
    assert (state.checkpoint_type, state.checkpoint_name) == ("training", "ckpt_state")
    assert (sampler.checkpoint_type, sampler.checkpoint_name) == ("sampler", "ckpt_sampler")
    rest = tinker.RestClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    listed = resolved(rest.list_checkpoints(state.training_run_id)).checkpoints
    canonical = {ParsedCheckpointTinkerPath.from_tinker_path(c.tinker_path).canonical_path for c in listed}
    assert {state.canonical_path, sampler.canonical_path} <= canonical


def test_download_sampler_checkpoint_archive(saved, tinker_server, tmp_path):
    _, _, _, sampler_path = saved
    rest = tinker.RestClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    progress: list[tuple[int, int | None]] = []
    target = download_checkpoint(rest, sampler_path, tmp_path, progress=lambda d, t: progress.append((d, t)))
    files = [p for p in target.rglob("*") if p.is_file()]
    assert files, "the archive extracted no files"
    assert sum(p.stat().st_size for p in files) > 0
    assert progress[-1][0] > 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporaries left behind


def test_resume_latest_state_with_optimizer(saved, tinker_server):
    service, training, state_path, _ = saved
    run_id = ParsedCheckpointTinkerPath.from_tinker_path(state_path).training_run_id
    rest = tinker.RestClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    resumed = resume(service, run_id, rest_client=rest)
    data = [
        tinker.Datum(
            model_input=tinker.ModelInput.from_ints([3, 4, 5]),
            loss_fn_inputs={"target_tokens": [4, 5, 6], "weights": [1.0, 1.0, 1.0]},
        )
    ]
    original = resolved(training.forward(data, "cross_entropy")).loss_fn_outputs[0]["logprobs"].data
    restored = resolved(resumed.forward(data, "cross_entropy")).loss_fn_outputs[0]["logprobs"].data
    assert restored == pytest.approx(original, rel=1e-4, abs=1e-5)
